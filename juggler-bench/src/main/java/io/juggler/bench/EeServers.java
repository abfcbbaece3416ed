package io.juggler.bench;

import io.juggler.launcher.OpenLiberty;
import io.juggler.launcher.PayaraMicro;
import io.juggler.launcher.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starting a Juggler EE process for the benchmark on either runtime it runs as a child process: the
 * WAR on Payara Micro or the EAR on Open Liberty (laid out by {@code liberty:create
 * liberty:deploy}), each on the JDK and JVM options of a {@link ServerJvm}; and waiting for it with
 * a reason when it does not come up, rather than a bare timeout.
 */
final class EeServers {

  private EeServers() {}

  static final String PAYARA_MICRO = "payara-micro";
  static final String OPEN_LIBERTY = "open-liberty";

  /** Seconds a server may take to answer {@code /health/ready}. */
  static final int READY_SECONDS = 300;

  /** What to run to lay out Liberty, for messages. */
  static final String LIBERTY_LAYOUT =
      "./mvnw -B -o -pl juggler-ear liberty:create liberty:deploy (after the install)";

  /**
   * Starts {@code runtime} on a free port.
   *
   * @param payaraRuntime the folder of {@code payara-micro.jar} and the WAR
   * @param wlp the Liberty installation ({@link AgainstReference#liberty}), or null when absent
   * @param env the application's settings as environment variables
   * @param name its console output goes to {@code work/<name>-<port>.log}
   */
  static ServerProcess start(
      String runtime,
      ServerJvm jvm,
      Path work,
      Path payaraRuntime,
      Path wlp,
      Map<String, String> env,
      String name)
      throws IOException {
    int port = Bench.freePort();
    Files.createDirectories(work);
    Path log = work.resolve(name + "-" + port + ".log");
    return switch (runtime) {
      case PAYARA_MICRO ->
          PayaraMicro.start(
              payaraRuntime, work, port, env, jvm.options(), log, Map.of(), jvm.home());
      case OPEN_LIBERTY -> {
        if (wlp == null) {
          throw new IllegalStateException(
              "Open Liberty is not laid out in juggler-ear/target/liberty/wlp: run "
                  + LIBERTY_LAYOUT);
        }
        yield OpenLiberty.start(wlp, port, env, log, jvm.home(), jvm.options());
      }
      default -> throw new IllegalArgumentException("not a runtime the bench starts: " + runtime);
    };
  }

  /**
   * Waits for {@code /health/ready}; returns the seconds it took.
   *
   * @param log its console output, quoted when it did not come up
   * @throws IllegalStateException saying why it is not ready: the line by which it gave up, its
   *     exit, or the time that ran out, with the last lines of its output
   */
  static double awaitReady(ServerProcess p, Path log) throws InterruptedException {
    long t0 = System.nanoTime();
    if (p.awaitReady(READY_SECONDS)) {
      return Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
    }
    String why;
    if (p.gaveUp()) {
      why = "it gave up: " + p.gaveUpLine();
    } else if (!p.isAlive()) {
      why = "its process ended (exit " + p.waitFor() + ")";
    } else {
      why = "not ready within " + READY_SECONDS + " s";
    }
    throw new IllegalStateException(why + "; last lines of " + log + ": " + tail(log, 4));
  }

  /** {@link #awaitReady(ServerProcess, Path)} with the log it writes to. */
  static double awaitReady(ServerProcess p) throws InterruptedException {
    return awaitReady(p, Path.of(p.outputLocation()));
  }

  /** The last {@code n} non-blank lines of a log, each cut to 300 characters, joined by " | ". */
  static String tail(Path log, int n) {
    try {
      List<String> lines =
          Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .map(l -> l.replaceAll("\u001b\\[[0-9;]*m", "").strip())
              .filter(l -> !l.isEmpty())
              .toList();
      return String.join(
          " | ",
          lines.subList(Math.max(0, lines.size() - n), lines.size()).stream()
              .map(l -> l.length() <= 300 ? l : l.substring(0, 300) + "…")
              .toList());
    } catch (IOException | RuntimeException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
