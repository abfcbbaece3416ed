package io.juggler.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An nginx process (the Debian package's binary) on loopback, serving a load balancer template (the
 * repository's {@code docker/nginx/juggler.conf.template}) rendered with the given variables, as
 * the nginx image renders it in {@code docker/compose.yaml}. Its prefix, configuration, logs and
 * temporary files are all in one folder; it never touches the system service. For the tests with
 * several servers and the fault suite.
 */
public final class Nginx implements AutoCloseable {

  /** The template in the repository, relative to its root. */
  public static final String TEMPLATE = "docker/nginx/juggler.conf.template";

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

  private final Process process;
  private final Path dir;

  private Nginx(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /**
   * The repository's template rendered for two servers on loopback, on {@code port1} and {@code
   * port2} (the same port twice sends everything to one server), listening on {@code lbPort}.
   *
   * @param template the template (its path, relative to the working folder or absolute)
   */
  public static Nginx loopback(Path template, Path dir, int port1, int port2, int lbPort)
      throws IOException {
    return start(
        template,
        dir,
        Map.of(
            "JUGGLER_LB_SERVER_1", "127.0.0.1:" + port1,
            "JUGGLER_LB_SERVER_2", "127.0.0.1:" + port2,
            "JUGGLER_LB_PORT", Integer.toString(lbPort)));
  }

  /**
   * Renders {@code template} with {@code variables} (which must include JUGGLER_LB_PORT) into
   * {@code dir} and starts nginx there; returns once it listens on that port.
   */
  public static Nginx start(Path template, Path dir, Map<String, String> variables)
      throws IOException {
    Path binary = Path.of("/usr/sbin/nginx");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "no /usr/sbin/nginx: install the Debian package nginx (.ci/run does)");
    }
    Files.createDirectories(dir);
    for (String log : List.of("access.log", "error.log", "stdout.log")) {
      Files.deleteIfExists(dir.resolve(log)); // what the test reads is this run's only
    }
    Files.writeString(dir.resolve("juggler.conf"), render(template, variables));
    Files.writeString(
        dir.resolve("nginx.conf"),
        String.join(
            "\n",
            "daemon off;",
            "worker_processes 1;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("error.log") + " info;",
            "events { worker_connections 1024; }",
            "http {",
            "  access_log " + dir.resolve("access.log") + ";",
            "  client_body_temp_path " + dir.resolve("client_body") + ";",
            "  proxy_temp_path " + dir.resolve("proxy") + ";",
            "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
            "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
            "  scgi_temp_path " + dir.resolve("scgi") + ";",
            "  include " + dir.resolve("juggler.conf") + ";",
            "}",
            ""));
    Process p =
        new ProcessBuilder(
                List.of(
                    binary.toString(),
                    "-p",
                    dir.toString(),
                    "-c",
                    dir.resolve("nginx.conf").toString(),
                    "-e",
                    dir.resolve("error.log").toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    Nginx nginx = new Nginx(p, dir);
    int port = Integer.parseInt(variables.get("JUGGLER_LB_PORT"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    try {
      while (!Loopback.listening(port)) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "nginx exited with "
                  + p.exitValue()
                  + ": "
                  + Files.readString(dir.resolve("stdout.log"))
                  + Files.readString(dir.resolve("error.log")));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "nginx not listening on " + port + " within 15 s (see " + dir + ")");
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      nginx.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while nginx started", e);
    } catch (RuntimeException e) {
      nginx.close();
      throw e;
    }
    return nginx;
  }

  /** Replaces every {@code ${NAME}}; a name without a value is an error, as a typo would be. */
  static String render(Path template, Map<String, String> variables) throws IOException {
    Matcher m = VARIABLE.matcher(Files.readString(template));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for ${" + m.group(1) + "} in " + template);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Lines of its access log (one per proxied request or websocket session that ended). */
  public List<String> accessLog() throws IOException {
    return Files.readAllLines(dir.resolve("access.log"));
  }

  @Override
  public void close() {
    Processes.stop(process);
  }
}
