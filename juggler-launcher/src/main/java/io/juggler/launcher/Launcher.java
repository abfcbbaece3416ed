package io.juggler.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Juggler EE on this machine.
 *
 * <ol>
 *   <li>Redis: {@code JUGGLER_REDIS_URL} if set; otherwise a Redis started here on {@code
 *       JUGGLER_LOCAL_REDIS_PORT} (default 6379) from the system {@code redis-server}, or from the
 *       binary bundled in the embedded-redis artifact when there is none.
 *   <li>Payara Micro with {@code juggler-web.war} at context root {@code /}, HTTP port {@code
 *       JUGGLER_HTTP_PORT} (default 8080), demo callees on unless {@code
 *       JUGGLER_CALLEE_DEMO_ENABLED} says otherwise. Every other {@code JUGGLER_*} variable reaches
 *       the application's MicroProfile Config unchanged.
 * </ol>
 *
 * Prints the URLs once the readiness check answers, and stops everything it started on Ctrl-C (or
 * when Payara exits).
 */
public final class Launcher {

  private static final String EMBEDDED_BINARY = "redis-server-6.2.6-v5-linux-amd64";

  private final List<Process> started = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    System.exit(new Launcher().run());
  }

  private int run() throws Exception {
    Path home = home();
    Path runtime = home.resolve("runtime");
    Path work = Files.createDirectories(home.resolve("run"));
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "juggler-launcher-stop"));

    Map<String, String> env = System.getenv();
    String redisUrl = env.get("JUGGLER_REDIS_URL");
    if (redisUrl == null || redisUrl.isBlank()) {
      int port = Integer.parseInt(env.getOrDefault("JUGGLER_LOCAL_REDIS_PORT", "6379"));
      redisUrl = startRedis(runtime, work, port);
    } else {
      say("using Redis at " + redisUrl + " (JUGGLER_REDIS_URL)");
    }

    int httpPort = Integer.parseInt(env.getOrDefault("JUGGLER_HTTP_PORT", "8080"));
    Path preboot = work.resolve("preboot.txt");
    Files.writeString(
        preboot,
        "set configs.config.server-config.network-config.network-listeners.network-listener"
            + ".http-listener.address=127.0.0.1\n");
    ProcessBuilder payara =
        new ProcessBuilder(
                javaBinary(),
                "-jar",
                runtime.resolve("payara-micro.jar").toString(),
                "--deploy",
                runtime.resolve("juggler-web.war").toString(),
                "--contextroot",
                "/",
                "--port",
                Integer.toString(httpPort),
                "--nocluster",
                "--nohostaware",
                "--prebootcommandfile",
                preboot.toString(),
                "--rootdir",
                work.resolve("payara").toString())
            .inheritIO();
    payara.environment().put("JUGGLER_REDIS_URL", redisUrl);
    payara.environment().putIfAbsent("JUGGLER_CALLEE_DEMO_ENABLED", "true");
    say("starting Payara Micro on port " + httpPort + " (about 20 s)");
    Process p = payara.start();
    started.add(p);

    String base = "http://localhost:" + httpPort;
    if (awaitReady(p, base + "/health/ready", 300)) {
      say("Juggler EE is up:");
      say("  websocket  ws://localhost:" + httpPort + "/ws   (subprotocol juggler.0)");
      say("  demo URIs  test.echo, test.reverse, test.delay");
      say("  metrics    " + base + "/metrics");
      say("  health     " + base + "/health");
      say("  Redis      " + redisUrl);
      say("Ctrl-C stops everything this command started.");
    } else if (p.isAlive()) {
      say("Payara Micro did not become ready in 300 s; see its output above");
    }
    int code = p.waitFor();
    say("Payara Micro exited with " + code);
    return code;
  }

  private String startRedis(Path runtime, Path work, int port) throws Exception {
    if (listening(port)) {
      throw new IllegalStateException(
          "port "
              + port
              + " is taken; set JUGGLER_REDIS_URL to use that Redis, or JUGGLER_LOCAL_REDIS_PORT");
    }
    String binary = systemRedis();
    if (binary == null) {
      binary = extractEmbedded(work).toString();
      say("no redis-server on PATH: using the one bundled in embedded-redis");
    }
    Path dir = Files.createDirectories(work.resolve("redis"));
    ProcessBuilder pb =
        new ProcessBuilder(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile());
    Process redis = pb.start();
    started.add(redis);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!listening(port)) {
      if (!redis.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("Redis did not start; see " + dir.resolve("redis.log"));
      }
      Thread.sleep(50);
    }
    String url = "redis://127.0.0.1:" + port;
    say("started Redis at " + url + " (log: " + dir.resolve("redis.log") + ")");
    return url;
  }

  private static String systemRedis() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  private static Path extractEmbedded(Path work) throws IOException {
    Path target = work.resolve("redis-server");
    try (InputStream in = Launcher.class.getResourceAsStream("/" + EMBEDDED_BINARY)) {
      if (in == null) {
        throw new IllegalStateException(
            "no redis-server on PATH and no " + EMBEDDED_BINARY + " in embedded-redis");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    target.toFile().setExecutable(true);
    return target;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean awaitReady(Process p, String url, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (p.isAlive() && System.nanoTime() < deadline) {
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(500);
    }
    return false;
  }

  private void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      Process p = started.get(i);
      if (p.isAlive()) {
        p.destroy();
        try {
          if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static Path home() throws URISyntaxException {
    return Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getParent();
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void say(String line) {
    System.out.println("[juggler] " + line);
  }
}
