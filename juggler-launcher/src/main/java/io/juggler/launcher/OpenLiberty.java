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
 * HTTP_PORT} and {@code HTTPS_PORT}; the HTTPS listener is off ({@value #NO_HTTPS}) unless {@code
 * HTTPS_PORT} is set in the environment given.
 */
public final class OpenLiberty extends ChildServer {

  /** {@code httpsPort} of Liberty's {@code httpEndpoint} that disables the HTTPS listener. */
  static final String NO_HTTPS = "-1";

  /** The server name in {@code juggler-ear/pom.xml}. */
  public static final String SERVER_NAME = "juggler";

  private OpenLiberty(Process process, ServerOutput output, int port) {
    super(process, output, port);
  }

  /**
   * Starts {@code wlp/bin/server run juggler} in the foreground.
   *
   * @param wlp the Liberty installation ({@code juggler-ear/target/liberty/wlp})
   * @param env environment variables for the application (MicroProfile Config)
   * @param output where its console output goes ({@code null}: this process's standard output)
   */
  public static OpenLiberty start(Path wlp, int port, Map<String, String> env, Path output)
      throws IOException {
    return start(wlp, port, env, output, null, List.of());
  }

  /**
   * Like {@link #start(Path, int, Map, Path)}, on the JDK in {@code javaHome} (Liberty's {@code
   * JAVA_HOME}; {@code null}: whatever its script finds, {@code JAVA_HOME} of this process's
   * environment or {@code java} on the path) with {@code jvmOptions} (its {@code JVM_ARGS}, which
   * its script splits at spaces: no option may hold one).
   */
  public static OpenLiberty start(
      Path wlp,
      int port,
      Map<String, String> env,
      Path output,
      Path javaHome,
      List<String> jvmOptions)
      throws IOException {
    for (String o : jvmOptions) {
      if (o.isBlank() || o.matches(".*\\s.*")) {
        throw new IllegalArgumentException(
            "Liberty's JVM options may not hold spaces: '" + o + "'");
      }
    }
    Path server = wlp.resolve("usr/servers/" + SERVER_NAME);
    if (!Files.isDirectory(server.resolve("dropins"))) {
      throw new IllegalStateException(
          "no Liberty server at "
              + server
              + "; run ./mvnw -B -pl juggler-ear liberty:create liberty:deploy first");
    }
    ProcessBuilder pb =
        new ProcessBuilder(List.of(wlp.resolve("bin/server").toString(), "run", SERVER_NAME));
    // through this process, which watches for the line by which the server gives up
    pb.redirectInput(ProcessBuilder.Redirect.INHERIT).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("HTTP_PORT", Integer.toString(port));
    // nothing here serves HTTPS: no HTTPS listener unless HTTPS_PORT asks for one
    pb.environment().putIfAbsent("HTTPS_PORT", NO_HTTPS);
    if (javaHome != null) {
      pb.environment().put("JAVA_HOME", javaHome.toString());
    }
    if (!jvmOptions.isEmpty()) {
      pb.environment().put("JVM_ARGS", String.join(" ", jvmOptions));
    }
    Process process = pb.start();
    return new OpenLiberty(
        process, ServerOutput.copy(process, ServerOutput.Markers.LIBERTY, output), port);
  }
}
