package io.juggler.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx (the Debian package's binary) on loopback with the repository's load balancer template
 * {@code docker/nginx/juggler.conf.template}, as {@code ManyServersIT} runs it: its prefix,
 * configuration and logs in one folder, never the system service.
 */
final class Nginx implements AutoCloseable {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

  private final Process process;

  private Nginx(Process process) {
    this.process = process;
  }

  static Nginx start(Path template, Path dir, Map<String, String> variables) throws IOException {
    Path binary = Path.of("/usr/sbin/nginx");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("no /usr/sbin/nginx: install the Debian package nginx");
    }
    Files.createDirectories(dir);
    Matcher m = VARIABLE.matcher(Files.readString(template));
    StringBuilder conf = new StringBuilder();
    while (m.find()) {
      String v = variables.get(m.group(1));
      if (v == null) {
        throw new IllegalArgumentException("no value for ${" + m.group(1) + "} in " + template);
      }
      m.appendReplacement(conf, Matcher.quoteReplacement(v));
    }
    m.appendTail(conf);
    Files.writeString(dir.resolve("juggler.conf"), conf);
    Files.writeString(
        dir.resolve("nginx.conf"),
        String.join(
            "\n",
            "daemon off;",
            "worker_processes 1;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("error.log") + " warn;",
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
    int port = Integer.parseInt(variables.get("JUGGLER_LB_PORT"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        break;
      } catch (IOException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException("nginx did not start; see " + dir);
        }
        SuiteRedis.sleep(100);
      }
    }
    return new Nginx(p);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
