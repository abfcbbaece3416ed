package io.juggler.faults;

import io.juggler.launcher.Loopback;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The system redis-server for the fault suite on loopback, with AOF ({@code appendfsync always}, so
 * that a SIGKILL loses nothing Redis acknowledged), killed, frozen and slowed on demand. The
 * instances reach it through a {@link LatencyProxy} ({@link #url()}), which adds latency for
 * scenario 5 and only forwards otherwise; {@link #directUrl()} bypasses it.
 */
final class SuiteRedis implements AutoCloseable {

  private final Path dir;
  private final int port;
  private final LatencyProxy proxy;
  private Process process;

  private SuiteRedis(Path dir, int port, LatencyProxy proxy) {
    this.dir = dir;
    this.port = port;
    this.proxy = proxy;
  }

  /** Starts Redis on {@code port} and the proxy to it on {@code proxyPort}. */
  static SuiteRedis start(Path dir, int port, int proxyPort) throws IOException {
    Files.createDirectories(dir);
    SuiteRedis r =
        new SuiteRedis(
            dir, port, new LatencyProxy(proxyPort, new InetSocketAddress("127.0.0.1", port)));
    try {
      r.launch();
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  private void launch() throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
                dir.toString(),
                "--protected-mode",
                "no"));
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!Loopback.listening(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("Redis did not start; see " + dir.resolve("redis.log"));
      }
      sleep(50);
    }
  }

  /** Through the proxy: what the instances use. */
  String url() {
    return "redis://127.0.0.1:" + proxy.port();
  }

  /** Redis itself. */
  String directUrl() {
    return "redis://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL, and waits for the process to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts it again on the same port (the AOF brings back what it had). */
  void restart() throws IOException {
    launch();
  }

  /** SIGSTOP: the process stops, its sockets stay open (the half-open case). */
  void freeze() throws IOException {
    run("kill", "-STOP", Long.toString(process.pid()));
  }

  /** SIGCONT. */
  void thaw() throws IOException {
    run("kill", "-CONT", Long.toString(process.pid()));
  }

  /** Adds {@code millis} of delay in each direction between the instances and Redis (0: none). */
  void delay(int millis) {
    proxy.delay(millis);
  }

  Path log() {
    return dir.resolve("redis.log");
  }

  @Override
  public void close() {
    if (process != null) {
      if (process.isAlive()) {
        try {
          thaw();
        } catch (IOException e) {
          // it was not frozen
        }
      }
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    proxy.close();
  }

  /** Runs a command; throws with its output when it fails. */
  static String run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", cmd), e);
    }
    return out;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
