package io.juggler.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AOT cache for Payara Micro's first minute (JDK 25 and later: JEP 483, 514 and 515). The first
 * start with a cache file that does not exist yet is its training run ({@code -XX:AOTCacheOutput}):
 * the JVM records the classes it loads and links and the profiles of the methods it runs under
 * whatever load it serves, and writes the cache when it exits. Every later start uses it ({@code
 * -XX:AOTCache}), so the JIT starts from those profiles instead of from nothing
 * (docs/benchmarks/README.md, "The first minute": in two measurements, the first 15 s under load
 * 25-57 % cheaper than on Java 17 and 8-25 % cheaper than on Temurin 25 without a cache).
 *
 * <p>A cache holds what the JVM loaded from its own class path ({@code payara-micro.jar}) and the
 * JDK; the JVM checks both when it opens one, and ignores (with a warning) a cache that no longer
 * matches. So that such a cache is recorded again instead of being ignored at every start, a stamp
 * file next to it ({@code <cache>.for}) names the JDK and the {@code payara-micro.jar} it was
 * recorded for; a cache without a matching stamp is deleted and recorded again. The WAR is not part
 * of it: its classes load through Payara's own class loaders, which a JDK 25 cache does not cover.
 */
final class AotCache {

  /** The JDK feature release that records and reads AOT caches in one step (JEP 514). */
  static final int FIRST_JDK = 25;

  private static final Pattern VERSION = Pattern.compile("^\"?(?:1\\.)?(\\d+)");

  /** What a start does with the cache, and the JVM options that do it. */
  record Plan(boolean recording, Path file, List<String> jvmOptions) {}

  private AotCache() {}

  /**
   * Decides whether the start of {@code payaraJar} on the JDK in {@code javaHome} records the cache
   * {@code file} or uses it, and prepares for that (a stale cache and its stamp are deleted, a
   * recording's stamp written).
   *
   * @throws IllegalArgumentException when that JDK is older than {@value #FIRST_JDK}
   */
  static Plan plan(Path file, Path javaHome, Path payaraJar) throws IOException {
    Properties release = release(javaHome);
    int feature = feature(release, javaHome);
    if (feature < FIRST_JDK) {
      throw new IllegalArgumentException(
          "an AOT cache needs JDK "
              + FIRST_JDK
              + " or later to run the server; "
              + javaHome
              + " is JDK "
              + feature);
    }
    Path cache = file.toAbsolutePath();
    Path stamp = stamp(cache);
    String expected = stampFor(javaHome, release, payaraJar);
    if (Files.isRegularFile(cache)
        && Files.size(cache) > 0
        && Files.isRegularFile(stamp)
        && Files.readString(stamp).equals(expected)) {
      return new Plan(false, cache, List.of("-XX:AOTCache=" + cache));
    }
    Files.deleteIfExists(cache);
    Files.createDirectories(cache.getParent());
    Files.writeString(stamp, expected);
    return new Plan(true, cache, List.of("-XX:AOTCacheOutput=" + cache));
  }

  /** The stamp file of {@code cache}. */
  static Path stamp(Path cache) {
    return cache.resolveSibling(cache.getFileName() + ".for");
  }

  /** What the stamp of a cache recorded now says: the JDK and the Payara Micro jar, exactly. */
  private static String stampFor(Path javaHome, Properties release, Path payaraJar)
      throws IOException {
    Path jar = payaraJar.toRealPath();
    return "jdk "
        + javaHome.toRealPath()
        + " "
        + release.getProperty("JAVA_RUNTIME_VERSION", "?")
        + "\npayara-micro.jar "
        + jar
        + " "
        + Files.size(jar)
        + " bytes, modified "
        + Files.getLastModifiedTime(jar).toMillis()
        + "\n";
  }

  /** The feature release of the JDK in {@code javaHome} (17, 25, ...), from its release file. */
  static int feature(Path javaHome) throws IOException {
    return feature(release(javaHome), javaHome);
  }

  private static int feature(Properties release, Path javaHome) throws IOException {
    String version = release.getProperty("JAVA_VERSION");
    Matcher m = version == null ? null : VERSION.matcher(version.strip());
    if (m == null || !m.find()) {
      throw new IOException("no JAVA_VERSION in " + javaHome.resolve("release"));
    }
    return Integer.parseInt(m.group(1)); // "1.8.0_402" is 8, "25.0.3" is 25
  }

  private static Properties release(Path javaHome) throws IOException {
    Path file = javaHome.resolve("release");
    if (!Files.isRegularFile(file)) {
      throw new IOException("no JDK at " + javaHome + " (it has no release file)");
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      p.load(in);
    }
    return p;
  }
}
