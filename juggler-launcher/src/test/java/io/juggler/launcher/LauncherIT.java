package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The launcher behind {@code ./run.sh}, run as that script runs it ({@code java -jar
 * target/juggler-launcher.jar}, with the packaged WAR and Payara Micro in {@code target/runtime}),
 * on free ports: what a new user sees in the first minutes. A taken port stops it within seconds,
 * naming the variable to set; a Payara Micro that gives up is stopped at once; a normal start is
 * quiet, prints every URL, serves a landing page, and Ctrl-C (SIGTERM here) says the servers
 * stopped normally.
 */
class LauncherIT {

  private static final Path JAR = Path.of("target", "juggler-launcher.jar");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final List<Launched> launched = new ArrayList<>();

  @AfterEach
  void stopLaunchers() {
    launched.forEach(Launched::close);
  }

  @Test
  void takenHttpPortStopsItWithinSecondsNamingTheVariable() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      int redisPort = freePort();
      Launched l =
          launch(
              Map.of(
                  "JUGGLER_HTTP_PORT", Integer.toString(port),
                  "JUGGLER_LOCAL_REDIS_PORT", Integer.toString(redisPort)));
      assertEquals(1, l.awaitExit(Duration.ofSeconds(15)), l.output());
      String out = l.output();
      assertTrue(out.contains("port " + port + " is taken"), out);
      assertTrue(out.contains("JUGGLER_HTTP_PORT=" + (port + 1) + " ./run.sh"), out);
      assertFalse(out.contains("Exception"), out);
      assertFalse(Loopback.listening(redisPort), "nothing may be started: Redis runs");
    }
  }

  @Test
  void takenRedisPortStopsItNamingBothVariables() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Launched l =
          launch(
              Map.of(
                  "JUGGLER_HTTP_PORT", Integer.toString(freePort()),
                  "JUGGLER_LOCAL_REDIS_PORT", Integer.toString(port)));
      assertEquals(1, l.awaitExit(Duration.ofSeconds(15)), l.output());
      String out = l.output();
      assertTrue(out.contains("port " + port + " is taken"), out);
      assertTrue(out.contains("JUGGLER_REDIS_URL=redis://127.0.0.1:" + port), out);
      assertTrue(out.contains("JUGGLER_LOCAL_REDIS_PORT=" + (port + 1)), out);
    }
  }

  @Test
  void payaraThatGivesUpIsStoppedAtOnce() throws Exception {
    int port = freePort();
    int redisPort = freePort();
    Launched l =
        launch(
            Map.of(
                "JUGGLER_HTTP_PORT", Integer.toString(port),
                "JUGGLER_LOCAL_REDIS_PORT", Integer.toString(redisPort)));
    l.await("starting Payara Micro on port " + port);
    // taken after the launcher's own check, before Payara binds it (it needs seconds to get there)
    try (ServerSocket taken = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      l.await("Failed to start, exiting");
      long gaveUp = System.nanoTime();
      // Payara's JVM would stay up; the launcher stops it (SIGTERM, at worst SIGKILL after 15 s)
      assertEquals(1, l.awaitExit(Duration.ofSeconds(30)), l.output());
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - gaveUp);
      String out = l.output();
      assertTrue(out.contains("Payara Micro could not listen: port " + port + " is taken"), out);
      assertTrue(out.contains("JUGGLER_HTTP_PORT=" + (port + 1)), out);
      assertTrue(seconds < 20, "exited " + seconds + " s after Payara gave up");
      assertTrue(
          payaraProcesses(port).isEmpty(), "Payara Micro still runs: " + payaraProcesses(port));
      assertFalse(Loopback.listening(redisPort), "Redis still runs");
      assertFalse(Files.exists(Path.of("target", "run", "payara-" + port)), "root left behind");
    }
  }

  @Test
  void aWrongSettingStopsItAtOnceNamingTheKey() throws Exception {
    int port = freePort();
    int redisPort = freePort();
    Launched l =
        launch(
            Map.of(
                "JUGGLER_HTTP_PORT", Integer.toString(port),
                "JUGGLER_LOCAL_REDIS_PORT", Integer.toString(redisPort),
                "JUGGLER_REGISTRY_INTERVAL", "banana"));
    // Payara Micro keeps running without the application; the launcher stops it
    l.await("Exception while loading the app");
    assertEquals(1, l.awaitExit(Duration.ofSeconds(30)), l.output());
    String out = l.output();
    assertTrue(out.contains("invalid value for juggler.registry.interval: 'banana'"), out);
    assertTrue(out.contains("[juggler] Payara Micro gave up"), out);
    assertTrue(payaraProcesses(port).isEmpty(), "Payara Micro still runs");
    assertFalse(Loopback.listening(redisPort), "Redis still runs");
  }

  @Test
  void startIsQuietListsEveryUrlServesALandingPageAndStopsNormally() throws Exception {
    int port = freePort();
    int redisPort = freePort();
    Launched l =
        launch(
            Map.of(
                "JUGGLER_HTTP_PORT", Integer.toString(port),
                "JUGGLER_LOCAL_REDIS_PORT", Integer.toString(redisPort)));
    l.await("Ctrl-C stops everything this command started");
    String out = l.output();
    String base = "http://localhost:" + port;

    // Payara Micro's start-up chatter is gone: 520 lines before, most of them certificate dumps
    List<String> lines = out.lines().toList();
    assertTrue(lines.size() < 80, lines.size() + " lines:\n" + out);
    for (String noise :
        List.of(
            "\u001b[", "has expired", "Payara Micro URLs", "Hazelcast", "SEVERE", "Data Grid")) {
      assertFalse(out.contains(noise), "\"" + noise + "\" in:\n" + out);
    }
    // the application's own start-up lines stay
    assertTrue(out.contains("Redis reachable at"), out);

    // the banner: every URL a new user needs, with the console's password
    Matcher password =
        Pattern.compile(
                "console +" + Pattern.quote(base + "/admin/") + " +user admin, password (\\S+) ")
            .matcher(out);
    assertTrue(password.find(), out);
    for (String url :
        List.of(
            "home       " + base + "/",
            "websocket  ws://localhost:" + port + "/ws",
            "demo page  " + base + "/demo.html",
            "metrics    " + base + "/metrics",
            "health     " + base + "/health",
            "Redis      redis://127.0.0.1:" + redisPort)) {
      assertTrue(out.contains("[juggler]   " + url), url + " missing in:\n" + out);
    }

    // / is a landing page linking all of them; the demo page and it have a favicon
    HttpResponse<String> home = get(base + "/");
    assertEquals(200, home.statusCode());
    for (String link :
        List.of(
            "href=\"demo.html\"",
            "href=\"admin/\"",
            "href=\"metrics\"",
            "href=\"health\"",
            "rel=\"icon\" href=\"favicon.svg\"")) {
      assertTrue(home.body().contains(link), link + " missing in:\n" + home.body());
    }
    assertTrue(get(base + "/demo.html").body().contains("rel=\"icon\" href=\"favicon.svg\""));
    HttpResponse<String> icon = get(base + "/favicon.svg");
    assertEquals(200, icon.statusCode());
    assertEquals(
        Optional.of("image/svg+xml"),
        icon.headers().firstValue("Content-Type").map(t -> t.replaceAll(";.*", "")));
    for (String linked : List.of("/demo.html", "/metrics", "/health", "/admin/login")) {
      assertEquals(200, get(base + linked).statusCode(), linked);
    }

    // Ctrl-C: the shutdown hook stops Payara (exit status 143) and says that is the normal stop
    // (SIGTERM through the handle: Process.destroy() would also close the output being read)
    l.process.toHandle().destroy();
    assertEquals(143, l.awaitExit(Duration.ofSeconds(40)), l.output());
    out = l.output();
    assertTrue(
        out.contains(
            "[juggler] stopped Payara Micro (exit status 143: its normal stop on a signal)"),
        out);
    assertFalse(out.contains("exited with"), out);
    assertTrue(payaraProcesses(port).isEmpty(), "Payara Micro still runs");
    assertFalse(Loopback.listening(redisPort), "Redis still runs");
    // nor its root directory, an unpacked runtime of about 100 MB per port
    assertFalse(Files.exists(Path.of("target", "run", "payara-" + port)), "root left behind");
  }

  /**
   * {@code JUGGLER_AOT_CACHE} on a JDK 25 ({@code JUGGLER_SERVER_JAVA_HOME}): the first run records
   * the cache while it serves and writes it when it stops; the next run's JVM maps it (it shows in
   * {@code /proc/<pid>/maps}, which only an opened, valid cache does).
   */
  @Test
  void anAotCacheIsRecordedByTheFirstRunAndUsedByTheNext() throws Exception {
    Optional<Path> jdk25 = jdk(AotCache.FIRST_JDK);
    Assumptions.assumeTrue(
        jdk25.isPresent(), "no JDK " + AotCache.FIRST_JDK + " or later in /usr/lib/jvm");
    Path cache = Path.of("target", "aot-it", "juggler.aot").toAbsolutePath();
    Files.deleteIfExists(cache);
    int port = freePort();
    Map<String, String> env =
        Map.of(
            "JUGGLER_HTTP_PORT", Integer.toString(port),
            "JUGGLER_LOCAL_REDIS_PORT", Integer.toString(freePort()),
            "JUGGLER_SERVER_JAVA_HOME", jdk25.get().toString(),
            "JUGGLER_AOT_CACHE", cache.toString());

    Launched first = launch(env);
    first.await("recording an AOT cache in " + cache);
    first.await("Ctrl-C stops everything this command started");
    String base = "http://localhost:" + port;
    for (int i = 0; i < 50; i++) { // some load to train on
      assertEquals(200, get(base + "/health/ready").statusCode());
    }
    first.process.toHandle().destroy();
    assertEquals(143, first.awaitExit(Duration.ofMinutes(3)), first.output());
    assertTrue(first.output().contains("[juggler] AOT cache written: " + cache), first.output());
    assertTrue(Files.size(cache) > 1_000_000, Files.size(cache) + " bytes");

    Launched second = launch(env);
    second.await("using the AOT cache " + cache);
    second.await("Ctrl-C stops everything this command started");
    List<ProcessHandle> payara = payaraProcesses(port);
    assertEquals(1, payara.size(), payara.toString());
    String maps = Files.readString(Path.of("/proc", Long.toString(payara.get(0).pid()), "maps"));
    assertTrue(maps.contains(cache.toString()), "the cache is not mapped by Payara Micro's JVM");
    assertTrue(
        payara.get(0).info().commandLine().orElse("").startsWith(jdk25.get().toString()),
        payara.get(0).info().commandLine().orElse(""));
    assertEquals(200, get(base + "/health/ready").statusCode());
  }

  // ------------------------------------------------------------------ helpers

  /** A JDK of feature release {@code feature} or later in /usr/lib/jvm, if there is one. */
  static Optional<Path> jdk(int feature) throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (var homes = Files.list(jvms)) {
      return homes
          .filter(h -> Files.isExecutable(h.resolve("bin/java")))
          .filter(
              h -> {
                try {
                  return AotCache.feature(h) >= feature;
                } catch (IOException e) {
                  return false;
                }
              })
          .sorted()
          .findFirst();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Payara Micro processes started for {@code port} (by any launcher). */
  static List<ProcessHandle> payaraProcesses(int port) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(
            p -> {
              String cmd = String.join(" ", p.info().arguments().orElse(new String[0]));
              return cmd.contains("payara-micro.jar") && cmd.contains("--port " + port + " ");
            })
        .toList();
  }

  Launched launch(Map<String, String> env) throws IOException {
    assertTrue(Files.isRegularFile(JAR), JAR + " missing: run after package");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString())
            .redirectErrorStream(true);
    pb.environment().remove("JUGGLER_REDIS_URL");
    pb.environment().remove("JUGGLER_ADMIN_PASSWORD");
    pb.environment().putAll(env);
    Launched l = new Launched(pb.start());
    launched.add(l);
    return l;
  }

  /** A launcher process whose output lines are collected as they come. */
  static final class Launched implements AutoCloseable {
    final Process process;
    private final Thread reader;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    Launched(Process process) {
      this.process = process;
      reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    add(line);
                  }
                } catch (IOException e) {
                  // ended
                } finally {
                  end();
                }
              },
              "launcher-output");
      reader.setDaemon(true);
      reader.start();
    }

    private synchronized void add(String line) {
      lines.add(line);
      notifyAll();
    }

    private synchronized void end() {
      ended = true;
      notifyAll();
    }

    /** Waits (up to 4 minutes: Payara Micro on a busy machine) for a line containing {@code s}. */
    synchronized void await(String s) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (lines.stream().noneMatch(l -> l.contains(s))) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || ended) {
          fail("no line with \"" + s + "\"; output:\n" + output());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    /** Waits for the launcher to exit and for its last lines; returns its exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("still running after " + timeout + "; output:\n" + output());
      }
      reader.join(5_000);
      return process.exitValue();
    }

    synchronized String output() {
      return String.join("\n", lines);
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.toHandle().destroy(); // SIGTERM: its shutdown hook stops Payara and Redis
        try {
          if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          process.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
