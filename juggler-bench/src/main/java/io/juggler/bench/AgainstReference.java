package io.juggler.bench;

import io.juggler.launcher.Machine;
import io.juggler.launcher.OpenLiberty;
import io.juggler.launcher.ServerProcess;
import io.juggler.testing.redis.RedisProcess;
import io.juggler.testing.report.Report;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Scenarios 4 (RPC against the Go reference, side by side) and 5 (the reference's idle scale).
 *
 * <p>Each system runs on a fresh redis-server instance of the same binary, started for it and
 * stopped after it: the Go reference (server + callee, 8 workers), Juggler EE's default deployment
 * (the WAR on Payara Micro, its own callee in the same JVM, 8 workers) and, when laid out, the EAR
 * on Open Liberty (same settings). Each gets the same schedule right after it is ready: {@code
 * rounds} consecutive runs of {@code round} at the first connection count (the warm-up curve), then
 * per connection count a warm-up at that load (the first count's counts the curve) and the measured
 * runs, by the Go load tool and then by ours.
 */
final class AgainstReference {

  private AgainstReference() {}

  /** Runs of the warm-up curve. */
  static final int CURVE_ROUNDS = 4;

  record Settings(
      Path referenceBin,
      int[] connections,
      Duration warmup,
      Duration round,
      Duration duration,
      Path work,
      Path runtime,
      Path wlp,
      List<SystemSpec> systems) {}

  /**
   * Scenario 4: the rows of each system, in the order of {@link Settings#systems}, the side-by-side
   * table, the warm-up curves, and what each system ran on ({@code 4-reference-systems}: its JDK,
   * or why it did not run).
   */
  static void rpc(Settings s, Report report) throws Exception {
    // connections -> load tool -> system -> row
    Map<Integer, Map<String, Map<String, Map<String, Object>>>> rows = new LinkedHashMap<>();
    for (SystemSpec system : s.systems()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("system", system.label());
      if (system.isGo()) {
        if (s.referenceBin() == null) {
          continue; // said so at the start
        }
        try (RedisProcess redis = redis(s.work(), "go");
            GoReference go = GoReference.start(s.referenceBin(), s.work(), redis.port())) {
          row.put("runsOn", "the reference's Go binaries");
          row.put("status", "measured");
          report.add("4-reference-systems", row);
          measure(
              system.label(),
              new ReferenceLoads.Target(
                  go.websocketUrl(), null, redis.pid(), go.serverPid(), go.calleePid()),
              s,
              report,
              rows);
        }
        continue;
      }
      if (system.base().equals(EeServers.OPEN_LIBERTY) && s.wlp() == null) {
        row.put(
            "status", "skipped: Open Liberty is not laid out (" + EeServers.LIBERTY_LAYOUT + ")");
        report.add("4-reference-systems", row);
        continue;
      }
      ServerJvm jvm;
      try {
        jvm = system.jvm();
      } catch (IllegalArgumentException e) {
        row.put("status", "skipped: " + e.getMessage());
        report.add("4-reference-systems", row);
        continue;
      }
      try (RedisProcess redis = redis(s.work(), system.label().replaceAll("[^A-Za-z0-9]", ""));
          ServerProcess ee =
              EeServers.start(
                  system.base(),
                  jvm,
                  s.work(),
                  s.runtime(),
                  s.wlp(),
                  eeSettings(redis),
                  "reference-" + SideBySide.prefix(system.label()))) {
        try {
          row.put("readySeconds", EeServers.awaitReady(ee));
        } catch (IllegalStateException e) {
          row.put("runsOn", jvm.describe());
          row.put("status", "did not start: " + e.getMessage());
          report.add("4-reference-systems", row);
          continue;
        }
        row.put("runsOn", ServerJvm.running(ee.pid()));
        row.put("status", "measured");
        report.add("4-reference-systems", row);
        measure(
            system.label(),
            new ReferenceLoads.Target(ee.websocketUrl(), ee.baseUrl(), redis.pid(), ee.pid()),
            s,
            report,
            rows);
      }
    }
    rows.forEach(
        (n, byTool) ->
            byTool.forEach(
                (tool, bySystem) ->
                    report.add("4-reference-side-by-side", SideBySide.row(n, tool, bySystem))));
  }

  private static void measure(
      String system,
      ReferenceLoads.Target target,
      Settings s,
      Report report,
      Map<Integer, Map<String, Map<String, Map<String, Object>>>> rows)
      throws Exception {
    System.out.println("[bench] reference scenario: " + system + " at " + target.url());
    int first = s.connections()[0];
    for (int i = 1; i <= CURVE_ROUNDS; i++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("system", system);
      r.put("round", i);
      r.put("fromSecond", s.round().toSeconds() * (i - 1));
      r.put("toSecond", s.round().toSeconds() * i);
      r.putAll(load(s, target, first, s.round()));
      report.add("4-reference-warmup-curve", r);
    }
    Duration curve = s.round().multipliedBy(CURVE_ROUNDS);
    for (int n : s.connections()) {
      Duration warmup = n == first ? s.warmup().minus(curve) : s.warmup();
      if (!warmup.isNegative() && !warmup.isZero()) {
        load(s, target, n, warmup); // not recorded
      }
      List<Map<String, Object>> measured = new ArrayList<>();
      if (s.referenceBin() != null) {
        measured.add(ReferenceLoads.go(s.referenceBin(), target, n, s.duration()));
      }
      measured.add(ReferenceLoads.ours(target, n, s.duration()));
      for (Map<String, Object> m : measured) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("system", system);
        r.putAll(m);
        report.add("4-reference-rpc", r);
        rows.computeIfAbsent(n, k -> new LinkedHashMap<>())
            .computeIfAbsent((String) m.get("loadTool"), k -> new LinkedHashMap<>())
            .put(system, r);
      }
    }
  }

  /** A run by the Go tool when there is one, else by ours. */
  private static Map<String, Object> load(
      Settings s, ReferenceLoads.Target target, int n, Duration d) throws Exception {
    return s.referenceBin() != null
        ? ReferenceLoads.go(s.referenceBin(), target, n, d)
        : ReferenceLoads.ours(target, n, d);
  }

  /** Scenario 5: idle websockets on the Go reference; its server's RSS, threads, Redis clients. */
  static void idle(Path bin, Path work, int[] counts, Report report) throws Exception {
    try (RedisProcess redis = redis(work, "go-idle", "--maxclients", "50000");
        Jedis admin = new Jedis(new HostAndPort("127.0.0.1", redis.port()));
        GoReference go = GoReference.start(bin, work, redis.port())) {
      long before = redisClients(admin);
      Map<String, Object> start = new LinkedHashMap<>();
      start.put("connections", 0);
      start.put("rssMb", Machine.procStatus(go.serverPid(), "VmRSS") / 1024);
      start.put("threads", Machine.procStatus(go.serverPid(), "Threads"));
      start.put("redisConnections", before);
      start.put("loadAverage1m", Machine.loadAverage());
      report.add("5-reference-idle-scale", start);
      for (int n : counts) {
        report.add("5-reference-idle-scale", idleStep(go, admin, n, before));
      }
    }
  }

  /**
   * Scenario 5: pub-sub fan-out on the Go reference, measured as scenario 2 measures Juggler EE
   * ({@link LoadScenarios#pubsub}: our load generator, {@code subscribers} subscribers of one
   * channel, one publisher at each rate in turn until delivery falls behind). Its server holds a
   * Redis connection per subscriber, so Redis does the fan-out.
   */
  static void pubsub(
      Path bin, Path work, int subscribers, int[] rates, Duration duration, Report report)
      throws Exception {
    try (RedisProcess redis = redis(work, "go-pubsub", "--maxclients", "50000");
        GoReference go = GoReference.start(bin, work, redis.port())) {
      for (int rate : rates) {
        Map<String, Object> row =
            LoadScenarios.pubsub(go.websocketUrl(), subscribers, rate, duration, go.serverPid());
        report.add("5-reference-pubsub-fanout", row);
        if (!Boolean.TRUE.equals(row.get("keepsUp"))) {
          break; // saturated: higher rates only pile up
        }
      }
    }
  }

  private static Map<String, Object> idleStep(GoReference go, Jedis admin, int n, long before)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<WebSocket> open = new ArrayList<>(n);
    int failed = 0;
    String firstError = null;
    try {
      for (int i = 0; i < n; i += 200) {
        List<CompletableFuture<WebSocket>> batch = new ArrayList<>();
        for (int j = i; j < Math.min(n, i + 200); j++) {
          batch.add(
              http.newWebSocketBuilder()
                  .subprotocols("juggler.0")
                  .buildAsync(URI.create(go.websocketUrl()), new WebSocket.Listener() {}));
        }
        for (CompletableFuture<WebSocket> f : batch) {
          try {
            open.add(f.get(60, TimeUnit.SECONDS));
          } catch (Exception e) {
            failed++;
            firstError = firstError == null ? String.valueOf(e.getCause()) : firstError;
          }
        }
      }
      Thread.sleep(2000); // the server opens its Redis connections per websocket after the upgrade
      long clients = redisClients(admin);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("connections", n);
      r.put("opened", open.size());
      r.put("failed", failed);
      if (firstError != null) {
        r.put("firstError", firstError);
      }
      r.put("rssMb", Machine.procStatus(go.serverPid(), "VmRSS") / 1024);
      r.put("threads", Machine.procStatus(go.serverPid(), "Threads"));
      r.put("redisConnections", clients);
      r.put(
          "redisConnectionsPerWebsocket",
          open.isEmpty() ? null : ReferenceLoads.round2((clients - before) / (double) open.size()));
      r.put("loadAverage1m", Machine.loadAverage());
      return r;
    } finally {
      for (WebSocket ws : open) {
        ws.abort();
      }
      Thread.sleep(2000);
    }
  }

  /** Clients of Redis other than the asking one. */
  private static long redisClients(Jedis admin) {
    return admin.clientList().lines().filter(l -> !l.isBlank()).count() - 1;
  }

  private static Map<String, String> eeSettings(RedisProcess redis) {
    return Map.of(
        "JUGGLER_REDIS_URL",
        redis.url(),
        "JUGGLER_CALLEE_DEMO_ENABLED",
        "true",
        "JUGGLER_CALLEE_WORKERS",
        Integer.toString(GoReference.CALLEE_WORKERS));
  }

  private static RedisProcess redis(Path work, String name, String... args) {
    return RedisProcess.options().dir(work.resolve("redis-" + name)).args(args).start();
  }

  /** The Liberty server laid out by {@code liberty:create liberty:deploy}, or null. */
  static Path liberty(Path wlp) {
    Path server = wlp.resolve("usr/servers/" + OpenLiberty.SERVER_NAME);
    return Files.isRegularFile(server.resolve("dropins/juggler-ear.ear"))
            && Files.isExecutable(wlp.resolve("bin/server"))
        ? wlp
        : null;
  }
}
