package io.juggler.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A redis-server executable for tests. {@link #locate()} resolves it once per JVM, in this order:
 * the system property {@value #PROPERTY} or the environment variable {@value #ENV} (a path, or the
 * word {@code embedded} to force the fallback); else {@code redis-server} in /usr/bin,
 * /usr/local/bin or on the PATH; else the Linux x86-64 binary bundled in the embedded-redis jar,
 * extracted once to a temporary file that is deleted when the JVM exits. {@link #version()} runs
 * {@code redis-server --version} and returns the version number (for example {@code 7.0.15}).
 */
public final class RedisBinary {

  /** System property naming the redis-server executable to use. */
  public static final String PROPERTY = "juggler.test.redis-server";

  /** Environment variable naming the redis-server executable to use. */
  public static final String ENV = "JUGGLER_TEST_REDIS_SERVER";

  /** Value of {@link #PROPERTY} / {@link #ENV} that forces the bundled binary. */
  public static final String EMBEDDED = "embedded";

  static final String EMBEDDED_RESOURCE = "/redis-server-6.2.6-v5-linux-amd64";

  private static final Logger LOG = Logger.getLogger(RedisBinary.class.getName());
  private static final Pattern VERSION = Pattern.compile("v=(\\S+)");

  private static RedisBinary located;
  private static RedisBinary embedded;

  private final Path path;
  private volatile String version;

  private RedisBinary(Path path) {
    this.path = path;
  }

  /** The binary chosen by the lookup order described on this class; resolved once per JVM. */
  public static synchronized RedisBinary locate() {
    if (located == null) {
      located = resolve();
      LOG.info(() -> "Using redis-server " + located.path + " (" + located.version() + ")");
    }
    return located;
  }

  /** The binary bundled in the embedded-redis jar, extracted once per JVM. */
  public static synchronized RedisBinary embedded() {
    if (embedded == null) {
      embedded = new RedisBinary(extractEmbedded());
    }
    return embedded;
  }

  /** A binary at an explicit path, which must be an executable file. */
  public static RedisBinary of(Path path) {
    Objects.requireNonNull(path, "path");
    if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
      throw new IllegalArgumentException("Not an executable file: " + path);
    }
    return new RedisBinary(path.toAbsolutePath());
  }

  /** The path of the executable. */
  public Path path() {
    return path;
  }

  /** The server version reported by {@code redis-server --version}, e.g. {@code 7.0.15}. */
  public String version() {
    String v = version;
    if (v == null) {
      v = queryVersion();
      version = v;
    }
    return v;
  }

  /** The major version number, e.g. {@code 7} for 7.0.15. */
  public int majorVersion() {
    String v = version();
    int dot = v.indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
    } catch (NumberFormatException e) {
      throw new IllegalStateException("Unparseable redis-server version: " + v, e);
    }
  }

  @Override
  public String toString() {
    return "RedisBinary[" + path + "]";
  }

  private static RedisBinary resolve() {
    String configured = System.getProperty(PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(ENV);
    }
    if (configured != null && !configured.isBlank()) {
      configured = configured.trim();
      if (EMBEDDED.equalsIgnoreCase(configured)) {
        return embedded();
      }
      return of(Path.of(configured));
    }
    for (Path candidate : pathCandidates()) {
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return new RedisBinary(candidate.toAbsolutePath());
      }
    }
    LOG.info("No redis-server found on this machine; using the one bundled in embedded-redis");
    return embedded();
  }

  private static List<Path> pathCandidates() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/usr/bin/redis-server"));
    candidates.add(Path.of("/usr/local/bin/redis-server"));
    String pathEnv = System.getenv("PATH");
    if (pathEnv != null) {
      for (String dir : pathEnv.split(java.io.File.pathSeparator)) {
        if (!dir.isBlank()) {
          candidates.add(Path.of(dir, "redis-server"));
        }
      }
    }
    return candidates;
  }

  private static Path extractEmbedded() {
    String os = System.getProperty("os.name", "").toLowerCase();
    String arch = System.getProperty("os.arch", "").toLowerCase();
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new IllegalStateException(
          "No redis-server found and the bundled one is for linux/amd64 only (this is "
              + os
              + "/"
              + arch
              + "); install redis-server or set -D"
              + PROPERTY);
    }
    try (InputStream in = RedisBinary.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "No redis-server found and the classpath resource "
                + EMBEDDED_RESOURCE
                + " is missing (add com.github.codemonstur:embedded-redis as a test dependency)");
      }
      Path file = Files.createTempFile("juggler-redis-server-", "");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      if (!file.toFile().setExecutable(true, true)) {
        throw new IllegalStateException("Cannot mark " + file + " executable");
      }
      LOG.info(() -> "Extracted bundled redis-server to " + file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract " + EMBEDDED_RESOURCE, e);
    }
  }

  private String queryVersion() {
    try {
      Process p =
          new ProcessBuilder(path.toString(), "--version")
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      p.getOutputStream().close();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(path + " --version did not exit within 10 s");
      }
      Matcher m = VERSION.matcher(out);
      if (p.exitValue() != 0 || !m.find()) {
        throw new IllegalStateException(
            path + " --version failed (exit " + p.exitValue() + "): " + out);
      }
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + path + " --version", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + path + " --version", e);
    }
  }
}
