package io.juggler.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Juggler EE on this machine.
 *
 * <ol>
 *   <li>Redis: {@code JUGGLER_REDIS_URL} if set; otherwise a Redis started here on {@code
 *       JUGGLER_LOCAL_REDIS_PORT} (default 6379) from the system {@code redis-server}, or from the
 *       binary bundled in the embedded-redis artifact when there is none.
 *   <li>Payara Micro with {@code juggler-web.war} at context root {@code /}; with {@code
 *       --liberty}, Open Liberty with {@code juggler-ear.ear} (the server laid out by {@code
 *       liberty:create liberty:deploy} in {@code juggler-ear/target/liberty/wlp}); with {@code
 *       --payara-server}, a Payara Server domain with {@code juggler-ear.ear} (the installation
 *       unpacked by {@code dependency:unpack@payara-server} in {@code
 *       juggler-ear/target/payara-server/payara6}, the domain made and configured by {@link
 *       PayaraServer}, admin port {@code JUGGLER_PAYARA_ADMIN_PORT}, default 4848). HTTP port
 *       {@code JUGGLER_HTTP_PORT} (default 8080), demo callees on unless {@code
 *       JUGGLER_CALLEE_DEMO_ENABLED} says otherwise. Every other {@code JUGGLER_*} variable reaches
 *       the application's MicroProfile Config unchanged, on every runtime (the domain inherits the
 *       environment of {@code asadmin start-domain}).
 *   <li>The operations console at {@code /admin/}: with {@code JUGGLER_ADMIN_PASSWORD} if set,
 *       otherwise with a random password made for this run and printed (the WAR itself has no
 *       default password: without one its console is disabled).
 * </ol>
 *
 * Prints the URLs once the readiness check answers, and stops everything it started on Ctrl-C (or
 * when the server exits).
 */
public final class Launcher {

  private final List<AutoCloseable> started = new ArrayList<>();

  /** The runtimes {@code run.sh} can start. */
  enum Runtime {
    PAYARA_MICRO("Payara Micro"),
    OPEN_LIBERTY("Open Liberty"),
    PAYARA_SERVER("Payara Server");

    final String title;

    Runtime(String title) {
      this.title = title;
    }
  }

  public static void main(String[] args) throws Exception {
    Runtime runtime = Runtime.PAYARA_MICRO;
    for (String arg : args) {
      switch (arg) {
        case "--payara" -> runtime = Runtime.PAYARA_MICRO;
        case "--liberty" -> runtime = Runtime.OPEN_LIBERTY;
        case "--payara-server" -> runtime = Runtime.PAYARA_SERVER;
        default -> {
          System.err.println(
              "usage: run.sh [--payara | --liberty | --payara-server]   (unknown argument: "
                  + arg
                  + ")");
          System.exit(2);
        }
      }
    }
    System.exit(new Launcher().run(runtime));
  }

  private int run(Runtime kind) throws Exception {
    Path home = home();
    Path runtime = home.resolve("runtime");
    Path work = Files.createDirectories(home.resolve("run"));
    java.lang.Runtime.getRuntime()
        .addShutdownHook(new Thread(this::stopAll, "juggler-launcher-stop"));

    Map<String, String> env = System.getenv();
    String redisUrl = env.get("JUGGLER_REDIS_URL");
    if (redisUrl == null || redisUrl.isBlank()) {
      int port = Integer.parseInt(env.getOrDefault("JUGGLER_LOCAL_REDIS_PORT", "6379"));
      if (LocalRedis.listening(port)) {
        throw new IllegalStateException(
            "port "
                + port
                + " is taken; set JUGGLER_REDIS_URL to use that Redis, or JUGGLER_LOCAL_REDIS_PORT");
      }
      LocalRedis redis = LocalRedis.start(work.resolve("redis"), port);
      started.add(redis);
      redisUrl = redis.url();
      say(
          "started Redis at "
              + redisUrl
              + (redis.embedded() ? " (bundled binary: no redis-server on PATH)" : ""));
    } else {
      say("using Redis at " + redisUrl + " (JUGGLER_REDIS_URL)");
    }

    int httpPort = Integer.parseInt(env.getOrDefault("JUGGLER_HTTP_PORT", "8080"));
    // MicroProfile Config settings for the application: environment variables on Payara Micro
    // and Open Liberty, asadmin set-config-property and a password alias on Payara Server
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("juggler.redis.url", redisUrl);
    settings.put(
        "juggler.callee.demo.enabled", env.getOrDefault("JUGGLER_CALLEE_DEMO_ENABLED", "true"));
    String adminUser = env.getOrDefault("JUGGLER_ADMIN_USER", "admin");
    String adminPassword = env.get("JUGGLER_ADMIN_PASSWORD");
    boolean generated = adminPassword == null || adminPassword.isBlank();
    if (generated) {
      byte[] random = new byte[12];
      new SecureRandom().nextBytes(random);
      adminPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
    settings.put("juggler.admin.password", adminPassword);
    String name = kind.title;
    say(
        "starting "
            + name
            + " on port "
            + httpPort
            + (kind == Runtime.PAYARA_SERVER
                ? " (about 40 s; a minute the first time, when the domain is made)"
                : " (about 20 s)"));
    ServerProcess server =
        switch (kind) {
          case OPEN_LIBERTY -> OpenLiberty.start(libertyHome(home), httpPort, env(settings), null);
          case PAYARA_MICRO ->
              PayaraMicro.start(runtime, work, httpPort, env(settings), List.of(), null);
          case PAYARA_SERVER -> {
            Path ear = earModule(home);
            int adminPort = Integer.parseInt(env.getOrDefault("JUGGLER_PAYARA_ADMIN_PORT", "4848"));
            Path domains = ear.resolve("target/payara-server/domains");
            say(
                "Payara Server domain "
                    + PayaraServer.DOMAIN
                    + " in "
                    + domains
                    + " (admin port "
                    + adminPort
                    + "; its log: "
                    + domains.resolve(PayaraServer.DOMAIN + "/logs/server.log")
                    + ")");
            yield PayaraServer.start(
                ear.resolve("target/payara-server/payara6"),
                domains,
                httpPort,
                adminPort,
                settings,
                ear.resolve("target/juggler-ear.ear"),
                domains.resolve("asadmin.log"),
                true);
          }
        };
    started.add(server);
    if (server.awaitReady(300)) {
      say("Juggler EE is up on " + name + ":");
      say("  websocket  " + server.websocketUrl() + "   (subprotocol juggler.0)");
      say("  demo URIs  test.echo, test.reverse, test.delay");
      say("  metrics    " + server.baseUrl() + "/metrics");
      say("  health     " + server.baseUrl() + "/health");
      say(
          "  console    "
              + server.baseUrl()
              + "/admin/   user "
              + adminUser
              + (generated
                  ? ", password "
                      + adminPassword
                      + " (made for this run; JUGGLER_ADMIN_PASSWORD sets one)"
                  : ", password from JUGGLER_ADMIN_PASSWORD"));
      say("  Redis      " + redisUrl);
      say("Ctrl-C stops everything this command started.");
    } else if (server.isAlive()) {
      say(name + " did not become ready in 300 s; see its output above");
    }
    int code = server.waitFor();
    say(name + " exited with " + code);
    return code;
  }

  private void stopAll() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        say("stopping " + started.get(i) + " failed: " + e);
      }
    }
  }

  private static Path home() throws URISyntaxException {
    return Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getParent();
  }

  /** {@code juggler-ear/target/liberty/wlp} next to this launcher's module. */
  private static Path libertyHome(Path home) {
    return earModule(home).resolve("target/liberty/wlp");
  }

  /** The {@code juggler-ear} module next to this launcher's module. */
  private static Path earModule(Path home) {
    return home.resolve("../../juggler-ear").normalize();
  }

  /**
   * The environment variables for MicroProfile Config settings: upper case, {@code .} and {@code -}
   * as {@code _} (the specification's mapping).
   */
  static Map<String, String> env(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>();
    settings.forEach(
        (k, v) -> env.put(k.toUpperCase(java.util.Locale.ROOT).replaceAll("[.-]", "_"), v));
    return env;
  }

  private static void say(String line) {
    System.out.println("[juggler] " + line);
  }
}
