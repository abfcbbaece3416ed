package io.juggler.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JDK and JVM options of a Juggler EE process, as spelled after a system's {@code @} ({@code
 * payara-micro@25}) or given to {@code --server-jdk}:
 *
 * <ul>
 *   <li>nothing: the benchmark's own JVM ({@code java.home});
 *   <li>a feature version, {@code 25}: {@code /usr/lib/jvm/temurin-25-jdk-amd64}, else {@code
 *       /usr/lib/jvm/java-25-openjdk-amd64} (the first that holds {@code bin/java});
 *   <li>a java home, {@code /opt/jdk-21} (a path: it holds a {@code /});
 *   <li>any of these followed by {@value #COH}: with {@value #COH_OPTION} (a product flag from JDK
 *       25 on; JDK 24 has it as an experimental one).
 * </ul>
 *
 * @param spelling as given ({@code ""} for the benchmark's own JVM)
 * @param home the java home
 * @param options JVM options it adds
 */
record ServerJvm(String spelling, Path home, List<String> options) {

  /** The suffix that adds compact object headers. */
  static final String COH = "+coh";

  static final String COH_OPTION = "-XX:+UseCompactObjectHeaders";

  /** Where feature versions are looked up. */
  static final Path JVMS = Path.of("/usr/lib/jvm");

  /** The benchmark's own JVM, no options. */
  static ServerJvm bench() {
    return new ServerJvm("", Path.of(System.getProperty("java.home")), List.of());
  }

  /**
   * Reads a spelling (see the class comment), looking feature versions up under {@code jvms}.
   *
   * @throws IllegalArgumentException when no such JDK is installed
   */
  static ServerJvm parse(String spelling, Path jvms) {
    String s = spelling.strip();
    List<String> options = new ArrayList<>();
    if (s.endsWith(COH)) {
      options.add(COH_OPTION);
      s = s.substring(0, s.length() - COH.length());
    }
    Path home;
    if (s.isEmpty()) {
      home = Path.of(System.getProperty("java.home"));
    } else if (s.matches("\\d+")) {
      home = null;
      for (String name : candidates(s)) {
        if (Files.isExecutable(jvms.resolve(name).resolve("bin/java"))) {
          home = jvms.resolve(name);
          break;
        }
      }
      if (home == null) {
        throw new IllegalArgumentException(
            "no JDK " + s + " in " + jvms + " (" + String.join(" or ", candidates(s)) + ")");
      }
    } else if (s.contains("/")) {
      home = Path.of(s);
      if (!Files.isExecutable(home.resolve("bin/java"))) {
        throw new IllegalArgumentException("no bin/java in " + home);
      }
    } else {
      throw new IllegalArgumentException(
          "not a JDK: '" + spelling + "' (a feature version such as 25, or a java home; +coh)");
    }
    return new ServerJvm(spelling.strip(), home, List.copyOf(options));
  }

  /** The folders of {@link #JVMS} a feature version may be installed in, preferred first. */
  static List<String> candidates(String feature) {
    return List.of("temurin-" + feature + "-jdk-amd64", "java-" + feature + "-openjdk-amd64");
  }

  /** This JVM with more options (each one word, e.g. from {@code --server-jvm-options}). */
  ServerJvm withOptions(List<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<String> all = new ArrayList<>(options);
    all.addAll(more);
    return new ServerJvm(spelling, home, List.copyOf(all));
  }

  /** The first line of {@code java -version}, or why it could not be read. */
  String version() {
    return versionOf(home.resolve("bin/java"));
  }

  /** What {@link #version()} reports and the options, for a report ({@code "...; -XX:..."}). */
  String describe() {
    return version() + (options.isEmpty() ? "" : "; " + String.join(" ", options));
  }

  /** The first line of {@code <java> -version}, or why it could not be read. */
  static String versionOf(Path java) {
    try {
      Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
      String first;
      try (var in = p.inputReader(StandardCharsets.UTF_8)) {
        first = in.readLine();
        in.transferTo(Writer.nullWriter());
      }
      p.waitFor(30, TimeUnit.SECONDS);
      return first == null ? "? (no output from " + java + " -version)" : first.strip();
    } catch (IOException e) {
      return "? (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "? (interrupted)";
    }
  }

  /**
   * The java executable a running process was started from ({@code /proc/<pid>/exe}), or null. For
   * {@code jcmd} of the same JDK, and to report what the process really runs on.
   */
  static Path javaOf(long pid) {
    try {
      return Path.of("/proc", Long.toString(pid), "exe").toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * What a running process runs on: the first line of its java's {@code -version}, with its {@code
   * -XX:} and {@code -Xm} options (as in {@code /proc/<pid>/cmdline}, before its main class or
   * jar).
   */
  static String running(long pid) {
    Path java = javaOf(pid);
    if (java == null) {
      return "? (no /proc/" + pid + "/exe)";
    }
    StringBuilder s = new StringBuilder(versionOf(java));
    try {
      String[] args =
          new String(
                  Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                  StandardCharsets.UTF_8)
              .split("\0");
      for (int i = 1; i < args.length && !args[i].equals("-jar") && !args[i].equals("-cp"); i++) {
        if (args[i].startsWith("-XX:") || args[i].startsWith("-Xm")) {
          s.append(s.indexOf(";") < 0 ? "; " : " ").append(args[i]);
        }
      }
    } catch (IOException e) {
      // the version alone
    }
    return s.toString();
  }

  /** The JDK's tool {@code name} next to a process's java, else the benchmark JVM's own. */
  static Path toolOf(long pid, String name) {
    Path java = javaOf(pid);
    if (java != null && Files.isExecutable(java.resolveSibling(name))) {
      return java.resolveSibling(name);
    }
    return Path.of(System.getProperty("java.home"), "bin", name);
  }
}
