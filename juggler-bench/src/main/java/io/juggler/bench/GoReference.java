package io.juggler.bench;

import io.juggler.launcher.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Go reference's {@code juggler-server} and {@code juggler-callee} (8 workers, {@code
 * test.echo}) on loopback against one Redis, started as its README shows. The binaries stay where
 * they are ({@code <dir>/bin}); only a configuration file and the server's log go under {@code
 * work}. The callee logs every call: its output is discarded.
 */
final class GoReference implements AutoCloseable {

  static final String SERVER = "juggler-server";
  static final String CALLEE = "juggler-callee";
  static final String LOAD = "juggler-load";

  /** Callee workers, as for Juggler EE's callee. */
  static final int CALLEE_WORKERS = 8;

  private final Process server;
  private final Process callee;
  private final int port;

  private GoReference(Process server, Process callee, int port) {
    this.server = server;
    this.callee = callee;
    this.port = port;
  }

  /** {@code <dir>/bin} when it holds the server, the callee and the load tool; else null. */
  static Path binaries(Path dir) {
    if (dir == null) {
      return null;
    }
    Path bin = dir.resolve("bin");
    for (String b : List.of(SERVER, CALLEE, LOAD)) {
      if (!Files.isExecutable(bin.resolve(b))) {
        return null;
      }
    }
    return bin;
  }

  static GoReference start(Path bin, Path work, int redisPort) throws IOException {
    Files.createDirectories(work);
    int port = Bench.freePort();
    int debugPort = Bench.freePort();
    Path config = work.resolve("go-server-" + port + ".yml");
    Files.writeString(
        config,
        "redis:\n"
            + "  addr: \"127.0.0.1:"
            + redisPort
            + "\"\n"
            + "  max_idle: 100\n"
            + "server:\n"
            + "  addr: \"127.0.0.1:"
            + port
            + "\"\n"
            + "  paths:\n"
            + "    - /ws\n");
    Process server =
        new ProcessBuilder(bin.resolve(SERVER).toString(), "-L", "-config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("go-server-" + port + ".log").toFile())
            .start();
    Process callee =
        new ProcessBuilder(
                bin.resolve(CALLEE).toString(),
                "-redis",
                "127.0.0.1:" + redisPort,
                "-redis-max-idle",
                "100",
                "-workers",
                Integer.toString(CALLEE_WORKERS),
                "-port",
                Integer.toString(debugPort))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    GoReference g = new GoReference(server, callee, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!Loopback.listening(port) || !Loopback.listening(debugPort)) {
      if (!server.isAlive() || !callee.isAlive() || System.nanoTime() > deadline) {
        g.close();
        throw new IllegalStateException("the Go reference did not start; see " + work);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        g.close();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the Go reference", e);
      }
    }
    return g;
  }

  String websocketUrl() {
    return "ws://127.0.0.1:" + port + "/ws";
  }

  long serverPid() {
    return server.pid();
  }

  long calleePid() {
    return callee.pid();
  }

  @Override
  public void close() {
    stop(callee);
    stop(server);
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  static void stop(Process p) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
