package io.juggler.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A Payara Micro process serving the Juggler EE WAR at context root {@code /}, loopback only. */
public final class PayaraMicro implements ServerProcess {

  /** HTTP worker threads of the launched Payara Micro (a fixed pool). */
  public static final int HTTP_THREADS = 64;

  private final Process process;
  private final int port;

  private PayaraMicro(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts Payara Micro.
   *
   * @param runtime the folder holding {@code payara-micro.jar} and {@code juggler-web.war}
   * @param work a folder for its runtime files
   * @param env environment variables for the application (MicroProfile Config)
   * @param jvmOptions options for its JVM (e.g. heap size)
   * @param output where its console output goes ({@code null}: inherit this process's)
   */
  public static PayaraMicro start(
      Path runtime,
      Path work,
      int port,
      Map<String, String> env,
      List<String> jvmOptions,
      Path output)
      throws IOException {
    Files.createDirectories(work);
    // A root directory left by an earlier run makes Payara Micro start that run's application
    // first and then redeploy: "ready" would be answered by the old one, then 404 for a while.
    Path root = work.resolve("payara-" + port);
    if (Files.exists(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    Path preboot = work.resolve("preboot.txt");
    // A fixed HTTP worker pool: websocket I/O needs few threads, and the default pool (up to 200)
    // grows during a burst of handshakes and keeps those threads (docs/configuration.md).
    String pool = "set configs.config.server-config.thread-pools.thread-pool.http-thread-pool.";
    Files.writeString(
        preboot,
        "set configs.config.server-config.network-config.network-listeners.network-listener"
            + ".http-listener.address=127.0.0.1\n"
            + pool
            + "max-thread-pool-size="
            + HTTP_THREADS
            + "\n"
            + pool
            + "min-thread-pool-size="
            + HTTP_THREADS
            + "\n");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(
        List.of(
            "-jar",
            runtime.resolve("payara-micro.jar").toString(),
            "--deploy",
            runtime.resolve("juggler-web.war").toString(),
            "--contextroot",
            "/",
            "--port",
            Integer.toString(port),
            "--nocluster",
            "--nohostaware",
            "--prebootcommandfile",
            preboot.toString(),
            "--rootdir",
            root.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (output == null) {
      pb.inheritIO();
    } else {
      pb.redirectErrorStream(true).redirectOutput(output.toFile());
    }
    pb.environment().putAll(env);
    return new PayaraMicro(pb.start(), port);
  }

  @Override
  public boolean awaitReady(int seconds) throws InterruptedException {
    return Readiness.await(process.toHandle(), baseUrl(), seconds);
  }

  @Override
  public String baseUrl() {
    return "http://localhost:" + port;
  }

  @Override
  public String websocketUrl() {
    return "ws://localhost:" + port + "/ws";
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  @Override
  public void close() {
    Processes.stop(process);
  }
}
