package io.juggler.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Payara Micro process serving the Juggler EE WAR at context root {@code /}, loopback only, with
 * quiet logging ({@link #LOGGING}).
 */
public final class PayaraMicro extends ChildServer {

  /**
   * Its logging configuration (a resource next to this class): short lines, no colour codes,
   * warnings and the application's own start-up lines only. docs/runtimes.md explains each line.
   */
  static final String LOGGING = "payara-logging.properties";

  /** HTTP worker threads of the launched Payara Micro (a fixed pool). */
  public static final int HTTP_THREADS = 64;

  private final Path root;

  private PayaraMicro(Process process, ServerOutput output, int port, Path root) {
    super(process, output, port);
    this.root = root;
  }

  /**
   * Starts Payara Micro.
   *
   * @param runtime the folder holding {@code payara-micro.jar} and {@code juggler-web.war}
   * @param work a folder for its runtime files
   * @param env environment variables for the application (MicroProfile Config)
   * @param jvmOptions options for its JVM (e.g. heap size)
   * @param output where its console output goes ({@code null}: this process's standard output)
   */
  public static PayaraMicro start(
      Path runtime,
      Path work,
      int port,
      Map<String, String> env,
      List<String> jvmOptions,
      Path output)
      throws IOException {
    return start(runtime, work, port, env, jvmOptions, output, Map.of());
  }

  /**
   * Like {@link #start(Path, Path, int, Map, List, Path)}, with logger levels over those of {@link
   * #LOGGING} (logger name → level, e.g. {@code io.juggler} → {@code FINEST}).
   */
  public static PayaraMicro start(
      Path runtime,
      Path work,
      int port,
      Map<String, String> env,
      List<String> jvmOptions,
      Path output,
      Map<String, String> logLevels)
      throws IOException {
    return start(runtime, work, port, env, jvmOptions, output, logLevels, null);
  }

  /**
   * Like {@link #start(Path, Path, int, Map, List, Path, Map)}, on the JDK in {@code javaHome}
   * ({@code null}: this process's own, {@code java.home}).
   */
  public static PayaraMicro start(
      Path runtime,
      Path work,
      int port,
      Map<String, String> env,
      List<String> jvmOptions,
      Path output,
      Map<String, String> logLevels,
      Path javaHome)
      throws IOException {
    Files.createDirectories(work);
    // A root directory left by an earlier run makes Payara Micro start that run's application
    // first and then redeploy: "ready" would be answered by the old one, then 404 for a while.
    Path root = work.resolve("payara-" + port);
    deleteTree(root);
    Path logging = work.resolve("payara-logging.properties");
    try (InputStream in = PayaraMicro.class.getResourceAsStream(LOGGING)) {
      Files.copy(in, logging, StandardCopyOption.REPLACE_EXISTING);
    }
    StringBuilder levels = new StringBuilder();
    logLevels.forEach((logger, level) -> levels.append('\n').append(logger + ".level=" + level));
    Files.writeString(logging, levels.append('\n'), StandardOpenOption.APPEND);
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
    Path home = javaHome != null ? javaHome : Path.of(System.getProperty("java.home"));
    cmd.add(home.resolve("bin").resolve("java").toString());
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
            root.toString(),
            "--logproperties",
            logging.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // through this process, which watches for the line by which the server gives up
    pb.redirectInput(ProcessBuilder.Redirect.INHERIT).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process process = pb.start();
    return new PayaraMicro(
        process, ServerOutput.copy(process, ServerOutput.Markers.PAYARA, output), port, root);
  }

  @Override
  public void close() {
    super.close();
    // its root directory holds an unpacked runtime (about 100 MB): not left behind per port
    try {
      deleteTree(root);
    } catch (IOException e) {
      // a later start on this port deletes it
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
