package io.juggler.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An Open Liberty server running Juggler EE's EAR at context root {@code /}, loopback only: the
 * server that {@code liberty:create liberty:deploy} lays out in {@code
 * juggler-ear/target/liberty/wlp} (root {@code src/main/liberty/config/server.xml}, the EAR in
 * dropins). Ports reach its {@code server.xml} variables as the environment variables {@code
 * HTTP_PORT} and {@code HTTPS_PORT}.
 */
public final class OpenLiberty implements ServerProcess {

  /** The server name in {@code juggler-ear/pom.xml}. */
  public static final String SERVER_NAME = "juggler";

  private final Process process;
  private final int port;

  private OpenLiberty(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code wlp/bin/server run juggler} in the foreground.
   *
   * @param wlp the Liberty installation ({@code juggler-ear/target/liberty/wlp})
   * @param env environment variables for the application (MicroProfile Config)
   * @param output where its console output goes ({@code null}: inherit this process's)
   */
  public static OpenLiberty start(Path wlp, int port, Map<String, String> env, Path output)
      throws IOException {
    Path server = wlp.resolve("usr/servers/" + SERVER_NAME);
    if (!Files.isDirectory(server.resolve("dropins"))) {
      throw new IllegalStateException(
          "no Liberty server at "
              + server
              + "; run ./mvnw -B -pl juggler-ear liberty:create liberty:deploy first");
    }
    ProcessBuilder pb =
        new ProcessBuilder(List.of(wlp.resolve("bin/server").toString(), "run", SERVER_NAME));
    if (output == null) {
      pb.inheritIO();
    } else {
      pb.redirectErrorStream(true).redirectOutput(output.toFile());
    }
    pb.environment().putAll(env);
    pb.environment().put("HTTP_PORT", Integer.toString(port));
    // the HTTPS listener is unused; keep it off the well-known 9443 so two servers can run
    pb.environment().putIfAbsent("HTTPS_PORT", Integer.toString(port + 363));
    return new OpenLiberty(pb.start(), port);
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
