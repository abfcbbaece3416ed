package io.juggler.launcher;

import io.juggler.testing.redis.RedisProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
 *       environment of {@code asadmin start-domain}). Open Liberty opens no HTTPS listener unless
 *       {@code HTTPS_PORT} is set. {@code JUGGLER_SERVER_JAVA_HOME} names another JDK for Payara
 *       Micro or Open Liberty; {@code JUGGLER_AOT_CACHE} names an {@link AotCache} file for Payara
 *       Micro (JDK 25 or later), recorded by the first run and used by the next.
 *   <li>The operations console at {@code /admin/}: with {@code JUGGLER_ADMIN_PASSWORD} if set,
 *       otherwise with a random password made for this run and printed (the WAR itself has no
 *       default password: without one its console is disabled).
 * </ol>
 *
 * A taken port stops it within seconds with a message naming the variable that changes it, before
 * anything is started; a server that gives up while starting (Payara Micro logs "Failed to start,
 * exiting" and keeps its JVM running) is stopped at once. Prints the URLs once the readiness check
 * answers, and stops everything it started on Ctrl-C (or when the server exits).
 */
public final class Launcher {

  /**
   * The demo functions' URIs, for the banner ({@code DemoUrisTest} keeps them the deployed ones).
   */
  public static final List<String> DEMO_URIS =
      List.of("test.echo", "test.reverse", "test.delay", "test.reliable.delay");

  static final String HTTP_PORT = "JUGGLER_HTTP_PORT";
  static final String LOCAL_REDIS_PORT = "JUGGLER_LOCAL_REDIS_PORT";
  static final String REDIS_URL = "JUGGLER_REDIS_URL";
  static final String LIBERTY_HTTPS_PORT = "HTTPS_PORT";
  static final String PAYARA_ADMIN_PORT = "JUGGLER_PAYARA_ADMIN_PORT";
  static final String SERVER_JAVA_HOME = "JUGGLER_SERVER_JAVA_HOME";
  static final String AOT_CACHE = "JUGGLER_AOT_CACHE";

  /** How long a Payara Micro that records an AOT cache may take to stop (it writes the cache). */
  static final Duration AOT_STOP_GRACE = Duration.ofMinutes(2);

  /** Seconds to wait for the readiness check. */
  static final int READY_SECONDS = 300;

  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private volatile boolean stopping;
  private volatile AotCache.Plan aot;

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

  /** A reason not to start, said as it is (no stack trace); exit status 1. */
  static final class LaunchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LaunchException(String message) {
      super(message, null, false, false);
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
    int code;
    try {
      code = new Launcher().run(runtime, System.getenv());
    } catch (LaunchException | IllegalStateException e) {
      say(e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  private int run(Runtime kind, Map<String, String> env) throws Exception {
    String name = kind.title;
    int httpPort = port(env, HTTP_PORT, 8080);
    // every port first: a taken one stops us before anything was started
    if (!free(httpPort)) {
      throw new LaunchException(httpPortTaken(httpPort));
    }
    String redisUrl = env.get(REDIS_URL);
    boolean localRedis = redisUrl == null || redisUrl.isBlank();
    int redisPort = localRedis ? port(env, LOCAL_REDIS_PORT, 6379) : 0;
    if (localRedis && !free(redisPort)) {
      throw new LaunchException(
          "port "
              + redisPort
              + " is taken (a Redis already running?). Use that Redis with "
              + REDIS_URL
              + "=redis://127.0.0.1:"
              + redisPort
              + " ./run.sh, or start one on another port with "
              + LOCAL_REDIS_PORT
              + "="
              + (redisPort + 1)
              + " ./run.sh");
    }
    String https = env.get(LIBERTY_HTTPS_PORT);
    if (kind == Runtime.OPEN_LIBERTY
        && https != null
        && !https.isBlank()
        && !https.strip().equals(OpenLiberty.NO_HTTPS)) {
      int httpsPort = port(env, LIBERTY_HTTPS_PORT, 0);
      if (!free(httpsPort)) {
        throw new LaunchException(
            "port "
                + httpsPort
                + " (HTTPS_PORT, Open Liberty's HTTPS listener) is taken; unset HTTPS_PORT for no"
                + " HTTPS listener, or choose another port");
      }
    }
    int adminPort = port(env, PAYARA_ADMIN_PORT, 4848);
    if (kind == Runtime.PAYARA_SERVER && !free(adminPort)) {
      throw new LaunchException(
          "port "
              + adminPort
              + " (Payara Server's admin listener) is taken: another Payara Server domain? Stop it,"
              + " or use another port: "
              + PAYARA_ADMIN_PORT
              + "="
              + (adminPort + 1)
              + " ./run.sh --payara-server");
    }

    Path javaHome = serverJavaHome(env, kind);
    Path home = home();
    Path runtime = home.resolve("runtime");
    Path work = Files.createDirectories(home.resolve("run"));
    AotCache.Plan plan = aotPlan(env, kind, javaHome, runtime.resolve("payara-micro.jar"));
    java.lang.Runtime.getRuntime()
        .addShutdownHook(new Thread(this::stopAll, "juggler-launcher-stop"));

    if (localRedis) {
      // in a session of its own: Ctrl-C reaches the launcher, which stops Redis last, once the
      // server no longer needs it
      RedisProcess redis =
          RedisProcess.options()
              .port(redisPort)
              .dir(work.resolve("redis"))
              .log("redis-" + redisPort + ".log")
              .ownSession()
              .start();
      started(redis, "Redis");
      redisUrl = redis.url();
      say(
          "started Redis at "
              + redisUrl
              + (redis.embedded() ? " (bundled binary: no redis-server on PATH)" : ""));
    } else {
      say("using Redis at " + redisUrl + " (" + REDIS_URL + ")");
    }

    // MicroProfile Config settings for the application: environment variables on Payara Micro
    // and Open Liberty, asadmin set-config-property and a password alias on Payara Server
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("juggler.redis.url", redisUrl);
    String demo = env.getOrDefault("JUGGLER_CALLEE_DEMO_ENABLED", "true");
    settings.put("juggler.callee.demo.enabled", demo);
    String adminUser = env.getOrDefault("JUGGLER_ADMIN_USER", "admin");
    String adminPassword = env.get("JUGGLER_ADMIN_PASSWORD");
    boolean generated = adminPassword == null || adminPassword.isBlank();
    if (generated) {
      byte[] random = new byte[12];
      new SecureRandom().nextBytes(random);
      adminPassword = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
    settings.put("juggler.admin.password", adminPassword);
    say(
        "starting "
            + name
            + " on port "
            + httpPort
            + (kind == Runtime.PAYARA_SERVER
                ? " (about 40 s; a minute the first time, when the domain is made)"
                : " (about 20 s)"));
    long startedAt = System.nanoTime();
    ServerProcess server =
        switch (kind) {
          case OPEN_LIBERTY ->
              OpenLiberty.start(
                  libertyHome(home), httpPort, env(settings), null, javaHome, List.of());
          case PAYARA_MICRO -> {
            PayaraMicro micro =
                PayaraMicro.start(
                    runtime,
                    work,
                    httpPort,
                    env(settings),
                    plan == null ? List.of() : plan.jvmOptions(),
                    null,
                    Map.of(),
                    javaHome);
            if (plan != null && plan.recording()) {
              micro.stopGrace(AOT_STOP_GRACE);
              aot = plan;
            }
            yield micro;
          }
          case PAYARA_SERVER -> {
            Path ear = earModule(home);
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
    started(server, name);

    if (server.awaitReady(READY_SECONDS)) {
      String base = server.baseUrl();
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAt);
      say("Juggler EE is up on " + name + " (ready in " + seconds + " s):");
      say("  home       " + base + "/");
      say(
          "  websocket  "
              + server.websocketUrl()
              + "   (subprotocol juggler.0"
              + (Boolean.parseBoolean(demo)
                  ? "; demo URIs " + String.join(", ", DEMO_URIS) + ")"
                  : ")"));
      say("  demo page  " + base + "/demo.html");
      say(
          "  console    "
              + base
              + "/admin/   user "
              + adminUser
              + (generated
                  ? ", password "
                      + adminPassword
                      + " (made for this run; JUGGLER_ADMIN_PASSWORD sets one)"
                  : ", password from JUGGLER_ADMIN_PASSWORD"));
      say("  metrics    " + base + "/metrics");
      say("  health     " + base + "/health");
      say("  Redis      " + redisUrl);
      say("Ctrl-C stops everything this command started.");
    } else if (server.gaveUp()) {
      server.close();
      if (server.portTaken()) {
        throw new LaunchException(name + " could not listen: " + httpPortTaken(httpPort));
      }
      throw new LaunchException(
          name
              + " gave up (\""
              + server.gaveUpLine()
              + "\") and was stopped; the reason is in "
              + server.outputLocation()
              + (kind == Runtime.PAYARA_MICRO
                  ? " (a wrong setting is named in a SEVERE line)"
                  : ""));
    } else if (server.isAlive()) {
      say(
          name
              + " did not become ready in "
              + READY_SECONDS
              + " s; see "
              + server.outputLocation());
    }
    int code = server.waitFor();
    if (!stopping) {
      say(name + " exited with status " + code + "; see " + server.outputLocation());
    }
    return code;
  }

  /** The message for a taken HTTP port (run.sh prints the same before its build). */
  static String httpPortTaken(int port) {
    return "port "
        + port
        + " is taken: another program listens on it (ss -ltnp 'sport = :"
        + port
        + "' shows which). Stop it, or use another port: "
        + HTTP_PORT
        + "="
        + (port + 1)
        + " ./run.sh";
  }

  /**
   * The JDK that runs the server: {@code JUGGLER_SERVER_JAVA_HOME}, or {@code null} (this
   * launcher's own JDK for Payara Micro, whatever Liberty's script finds for Open Liberty).
   */
  static Path serverJavaHome(Map<String, String> env, Runtime kind) {
    String value = env.get(SERVER_JAVA_HOME);
    if (value == null || value.isBlank()) {
      return null;
    }
    if (kind == Runtime.PAYARA_SERVER) {
      throw new LaunchException(
          SERVER_JAVA_HOME
              + " applies to Payara Micro and Open Liberty; a Payara Server domain runs on the JDK"
              + " that asadmin finds (AS_JAVA in its glassfish/config/asenv.conf)");
    }
    Path home = Path.of(value.strip());
    if (!Files.isExecutable(home.resolve("bin/java"))) {
      throw new LaunchException(
          SERVER_JAVA_HOME + "=" + value + " is not a JDK: it has no executable bin/java");
    }
    return home;
  }

  /**
   * What {@code JUGGLER_AOT_CACHE} asks for ({@link AotCache}), said as it is decided; {@code null}
   * when it is unset.
   */
  static AotCache.Plan aotPlan(
      Map<String, String> env, Runtime kind, Path javaHome, Path payaraJar) {
    String value = env.get(AOT_CACHE);
    if (value == null || value.isBlank()) {
      return null;
    }
    if (kind != Runtime.PAYARA_MICRO) {
      throw new LaunchException(
          AOT_CACHE + " applies to Payara Micro (./run.sh without --liberty or --payara-server)");
    }
    Path jdk = javaHome != null ? javaHome : Path.of(System.getProperty("java.home"));
    AotCache.Plan plan;
    try {
      plan = AotCache.plan(Path.of(value.strip()), jdk, payaraJar);
    } catch (IOException e) {
      throw new LaunchException(AOT_CACHE + "=" + value + ": " + e);
    } catch (IllegalArgumentException e) {
      throw new LaunchException(
          AOT_CACHE
              + ": "
              + e.getMessage()
              + "; set "
              + SERVER_JAVA_HOME
              + " to a JDK "
              + AotCache.FIRST_JDK
              + " or later (docs/runtimes.md, \"The first minute\")");
    }
    say(
        plan.recording()
            ? "recording an AOT cache in "
                + plan.file()
                + ": this run is its training run, and the cache is written when the server stops;"
                + " the next start uses it"
            : "using the AOT cache " + plan.file() + " (recorded on this JDK and Payara Micro)");
    return plan;
  }

  /** The port in variable {@code name}, or {@code dflt} when unset. */
  static int port(Map<String, String> env, String name, int dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int port = Integer.parseInt(v.strip());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new LaunchException(name + "=" + v + " is not a port number (1 to 65535)");
  }

  /** True when a server can listen on the loopback address at {@code port} now. */
  static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true); // as the servers do: a port in TIME_WAIT only is free
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void started(AutoCloseable thing, String name) {
    synchronized (started) {
      started.add(thing);
      names.add(name);
    }
  }

  /** The shutdown hook: stops, newest first, what is still running. */
  private void stopAll() {
    stopping = true;
    synchronized (started) {
      for (int i = started.size() - 1; i >= 0; i--) {
        AutoCloseable thing = started.get(i);
        try {
          if (thing instanceof ServerProcess server) {
            if (server.isAlive()) {
              AotCache.Plan recording = aot;
              if (recording != null) {
                say(
                    "stopping "
                        + names.get(i)
                        + ": its JVM writes the AOT cache "
                        + recording.file()
                        + " first (up to a minute)");
              }
              server.close();
              int code = server.waitFor();
              say(
                  "stopped "
                      + names.get(i)
                      + (code == 143 || code == 130
                          ? " (exit status " + code + ": its normal stop on a signal)"
                          : " (exit status " + code + ")"));
              if (recording != null) {
                say(
                    Files.isRegularFile(recording.file())
                        ? "AOT cache written: "
                            + recording.file()
                            + " ("
                            + Files.size(recording.file()) / 1_000_000
                            + " MB); the next start with "
                            + AOT_CACHE
                            + " uses it"
                        : "no AOT cache was written (see the server's last lines above); the"
                            + " next start with "
                            + AOT_CACHE
                            + " records it again");
              }
            }
          } else {
            thing.close();
          }
        } catch (Exception e) {
          say("stopping " + names.get(i) + " failed: " + e);
        }
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
    settings.forEach((k, v) -> env.put(k.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_"), v));
    return env;
  }

  private static void say(String line) {
    System.out.println("[juggler] " + line);
  }
}
