package io.juggler.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server process on loopback: the system {@code redis-server} when one is on the PATH, else
 * the binary bundled in the embedded-redis artifact (which must be on the classpath).
 */
public final class LocalRedis implements AutoCloseable {

  private static final String EMBEDDED_BINARY = "redis-server-6.2.6-v5-linux-amd64";

  /** util-linux's setsid, which runs a program in a new session (same process: no fork). */
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Process process;
  private final int port;
  private final boolean embedded;

  private LocalRedis(Process process, int port, boolean embedded) {
    this.process = process;
    this.port = port;
    this.embedded = embedded;
  }

  /**
   * Starts Redis on {@code port} with no persistence, its files and log under {@code dir}; waits
   * until it accepts connections (10 s at most).
   */
  public static LocalRedis start(Path dir, int port, String... extraArgs) throws IOException {
    if (Loopback.listening(port)) {
      throw new IllegalStateException("port " + port + " is taken");
    }
    Files.createDirectories(dir);
    String binary = systemRedis();
    boolean embedded = binary == null;
    if (embedded) {
      binary = extractEmbedded(dir).toString();
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    cmd.addAll(List.of(extraArgs));
    if (Files.isExecutable(SETSID)) {
      // its own session: Ctrl-C in the terminal reaches the launcher and the server, not Redis,
      // which the launcher stops last, once the server no longer needs it
      cmd.add(0, SETSID.toString());
    }
    Path log = dir.resolve("redis-" + port + ".log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Loopback.listening(port)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("Redis did not start; see " + log);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting Redis", e);
      }
    }
    return new LocalRedis(p, port, embedded);
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** True when the binary came from embedded-redis rather than the system. */
  public boolean embedded() {
    return embedded;
  }

  public long pid() {
    return process.pid();
  }

  private static String systemRedis() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  private static Path extractEmbedded(Path dir) throws IOException {
    Path target = dir.resolve("redis-server-embedded");
    try (InputStream in = LocalRedis.class.getResourceAsStream("/" + EMBEDDED_BINARY)) {
      if (in == null) {
        throw new IllegalStateException(
            "no redis-server on PATH and no " + EMBEDDED_BINARY + " on the classpath");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    target.toFile().setExecutable(true);
    target.toFile().deleteOnExit();
    return target;
  }

  @Override
  public void close() {
    Processes.stop(process);
  }
}
