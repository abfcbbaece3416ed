package io.juggler.faults;

import io.juggler.client.JugglerClient;
import io.juggler.client.Subscription;
import io.juggler.faults.Driver.CallRecord;
import io.juggler.launcher.Machine;
import io.juggler.message.RawJson;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The soak ({@code ./faults.sh --soak 10m}, {@code --soak-warmup 60s}): a server and a callee
 * instance on one Redis; first the RPC peak is measured (closed loop with the project's load
 * generator, {@code juggler-load.jar}); then, for the soak's duration, RPC at 80 % of that peak
 * (open loop, the suite's {@link Driver}, half on an at-most-once and half on an at-least-once
 * URI), pub-sub at the same time ({@code juggler-load --mode pubsub}), and connections coming and
 * going (one short-lived connection a second: subscribe, a few calls, close). Every minute: each
 * JVM's heap after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), its threads, Redis's
 * connected clients and keys, and the p99 of the calls of that minute. Reports the slopes per hour
 * of each, and what became of every call.
 */
final class Soak {

  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private Soak() {}

  static void main(Map<String, String> opts) throws Exception {
    Duration duration = parse(opts.getOrDefault("soak", "10m"));
    Duration warmup = parse(opts.getOrDefault("soak-warmup", "60s"));
    Path work = Path.of("juggler-faults", "target", "soak").toAbsolutePath();
    Path runtime = Path.of("juggler-launcher", "target", "runtime").toAbsolutePath();
    Path out = Path.of(opts.getOrDefault("out", "docs/faults"));
    Files.createDirectories(work);
    Map<String, Object> machine = Machine.describe(SuiteRedis.run("redis-server", "--version"));
    machine.put("uptimeAtStart", Faults.uptime());
    Report report = new Report("Juggler EE soak", machine);
    try (SuiteRedis redis =
            SuiteRedis.start(work.resolve("redis"), Faults.freePort(), Faults.freePort());
        Jedis admin = Faults.jedis(HostAndPort.from(redis.directUrl().substring(8)), 2_000)) {
      Instance server =
          Instance.start(
              "server",
              runtime,
              work,
              Faults.freePort(),
              Map.of("JUGGLER_REDIS_URL", redis.directUrl(), "JUGGLER_CALLEE_ENABLED", "false"));
      Instance callee =
          Instance.start(
              "callee",
              runtime,
              work,
              Faults.freePort(),
              Map.of(
                  "JUGGLER_REDIS_URL",
                  redis.directUrl(),
                  "JUGGLER_SERVER_ENABLED",
                  "false",
                  "JUGGLER_CALLEE_DEMO_ENABLED",
                  "true"));
      try {
        server.awaitReady(300);
        callee.awaitReady(300);
        URI url = URI.create(server.websocketUrl());
        String peakUri = opts.getOrDefault("soak-uri", "test.echo");
        double peak =
            opts.containsKey("soak-rate")
                ? Double.parseDouble(opts.get("soak-rate")) / 0.8
                : measurePeak(work, url, peakUri);
        double target = 0.8 * peak;
        int connections = 20;
        double perConnection = target / connections / 2; // two URIs
        report.parameter("peakCallsPerSecond", Math.round(peak));
        report.parameter("soakCallsPerSecond", Math.round(target));
        report.parameter(
            "rpc",
            connections
                + " connections, "
                + String.format("%.1f", perConnection)
                + " calls/s each on test.echo (at most once) and test.reliable.delay with 0 ms"
                + " (at least once), open loop, timeout 10 s");
        report.parameter("durationSeconds", duration.toSeconds());
        report.parameter(
            "warmupSeconds",
            warmup.toSeconds() + " at the same load before the measured part (calls not counted)");

        // pub-sub warms up with the RPC load, then measures over the same part
        Process pubsub = startPubSub(work, url, warmup, duration);
        ChurnStats churn = new ChurnStats();
        List<Map<String, Object>> samples = new ArrayList<>();
        List<CallRecord> records;
        long start;
        try (Driver d =
            new Driver(
                url,
                connections,
                List.of("test.echo", "test.reliable.delay"),
                RawJson.of("\"0\""),
                Duration.ofSeconds(10),
                perConnection)) {
          d.start();
          // the same load for a while before measuring: JIT compilation and pools settle
          Thread.sleep(warmup.toMillis());
          start = System.nanoTime();
          Thread churner = new Thread(() -> churn(url, start, duration, churn), "faults-churn");
          churner.setDaemon(true);
          churner.start();
          long next = start;
          while (System.nanoTime() - start < duration.toNanos()) {
            samples.add(sample(start, server, callee, admin));
            next += TimeUnit.MINUTES.toNanos(1);
            long wait = Math.min(next, start + duration.toNanos()) - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000);
            }
          }
          samples.add(sample(start, server, callee, admin));
          d.stopSending();
          churner.join(20_000);
          long measuredFrom = start;
          List<CallRecord> all = d.records();
          records = all.stream().filter(r -> r.sentNanos >= measuredFrom).toList();
          List<CallRecord> early = all.stream().filter(r -> r.sentNanos < measuredFrom).toList();
          report.note(
              "warm-up",
              early.size()
                  + " calls sent during the warm-up: "
                  + early.stream().filter(r -> r.outcome == Driver.Outcome.RES).count()
                  + " answered, "
                  + early.stream().filter(r -> r.outcome == Driver.Outcome.NACK).count()
                  + " NACKed, "
                  + early.stream()
                      .filter(
                          r ->
                              r.acked
                                  && (r.outcome == Driver.Outcome.EXPIRED
                                      || r.outcome == Driver.Outcome.STUCK))
                      .count()
                  + " ACKed and unanswered");
          List<Map<String, Object>> byMinute = perMinute(records, start);
          for (int i = 0; i < samples.size() && i < byMinute.size(); i++) {
            samples.get(i).put("p99Ms", byMinute.get(i).get("p99Ms"));
            samples.get(i).put("calls", byMinute.get(i).get("calls"));
          }
        }
        samples.forEach(s -> report.add("samples", s));
        for (String uri : List.of("test.echo", "test.reliable.delay")) {
          Map<String, Object> row =
              Outcomes.row(
                  "soak",
                  uri,
                  uri.equals("test.echo") ? "at most once" : "at least once",
                  records,
                  start,
                  start,
                  0);
          // no fault: every ACKed call without a RES counts as lost; "recovery" is when the last
          // failed call was sent, from the start
          row.put("lastFailureSentAtMs", row.remove("recoveryMs"));
          row.remove("ackedUnansweredInFault");
          report.add("calls", row);
        }
        Map<String, Object> slopes = new LinkedHashMap<>();
        for (String k :
            List.of(
                "serverHeapAfterGcMb",
                "calleeHeapAfterGcMb",
                "serverThreads",
                "calleeThreads",
                "redisClients",
                "redisKeys",
                "p99Ms")) {
          slopes.put(k + "PerHour", slope(samples, k));
        }
        report.add("slopes", slopes);
        report.note("churn", churn.toString());
        pubsub.waitFor(60, TimeUnit.SECONDS);
        report.note(
            "pubsub", Files.readString(work.resolve("pubsub.json")).trim().replace('\n', ' '));
        report.parameter("uptimeAtEnd", Faults.uptime());
      } finally {
        server.close();
        callee.close();
      }
    }
    String name = "soak-" + LocalDate.now();
    report.write(out, name);
    System.out.println("[faults] soak written to " + out.resolve(name + ".md"));
  }

  /** RPC peak: closed loop, 40 connections x 4 in flight for 20 s, with juggler-load. */
  private static double measurePeak(Path work, URI url, String uri) throws Exception {
    Process p =
        new ProcessBuilder(
                java(),
                "-jar",
                "juggler-client/target/juggler-load.jar",
                "--url",
                url.toString(),
                "--connections",
                "40",
                "--concurrency",
                "4",
                "--uri",
                uri,
                "--duration",
                "20s",
                "--warmup",
                "5s",
                "--json",
                "--quiet")
            .redirectOutput(work.resolve("peak.json").toFile())
            .redirectError(work.resolve("peak.err").toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("peak measurement failed; see " + work);
    }
    JsonObject o =
        Json.createReader(new StringReader(Files.readString(work.resolve("peak.json"))))
            .readObject();
    double peak = o.getJsonNumber("resultsPerSecond").doubleValue();
    System.out.println("[faults] measured RPC peak: " + Math.round(peak) + " calls/s");
    return peak;
  }

  private static Process startPubSub(Path work, URI url, Duration warmup, Duration duration)
      throws IOException {
    return new ProcessBuilder(
            java(),
            "-jar",
            "juggler-client/target/juggler-load.jar",
            "--mode",
            "pubsub",
            "--url",
            url.toString(),
            "--subscribers",
            "20",
            "--publishers",
            "2",
            "--publish-rate",
            "50",
            "--duration",
            duration.toSeconds() + "s",
            "--warmup",
            warmup.toSeconds() + "s",
            "--json",
            "--quiet")
        .redirectOutput(work.resolve("pubsub.json").toFile())
        .redirectError(work.resolve("pubsub.err").toFile())
        .start();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Connections coming and going: one a second opens, subscribes, calls 5 times, closes. */
  private static void churn(URI url, long start, Duration duration, ChurnStats stats) {
    while (System.nanoTime() - start < duration.toNanos()) {
      try (JugglerClient c = JugglerClient.connect(url)) {
        Subscription s = c.subscribe("soak.churn", false, e -> {});
        s.acknowledged().get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
          c.call("test.echo", RawJson.of("\"churn\""), Duration.ofSeconds(5))
              .get(6, TimeUnit.SECONDS);
          stats.calls.incrementAndGet();
        }
        s.close();
        stats.opened.incrementAndGet();
      } catch (Exception e) {
        stats.failures.incrementAndGet();
        stats.lastFailure = e.toString();
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static final class ChurnStats {
    final AtomicLong opened = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    volatile String lastFailure;

    @Override
    public String toString() {
      return opened
          + " short-lived connections (subscribe, 5 calls, close), "
          + calls
          + " calls answered, "
          + failures
          + " failed"
          + (lastFailure == null ? "" : " (last: " + lastFailure + ")");
    }
  }

  private static Map<String, Object> sample(
      long start, Instance server, Instance callee, Jedis admin) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("minute", Math.round((System.nanoTime() - start) / 6e10 * 100) / 100.0);
    s.put("serverHeapAfterGcMb", heapAfterGc(server.pid()));
    s.put("calleeHeapAfterGcMb", heapAfterGc(callee.pid()));
    s.put("serverThreads", Machine.procStatus(server.pid(), "Threads"));
    s.put("calleeThreads", Machine.procStatus(callee.pid(), "Threads"));
    s.put("redisClients", infoField(admin.info("clients"), "connected_clients"));
    s.put("redisKeys", admin.dbSize());
    s.put("loadAvg1m", Machine.loadAverage());
    return s;
  }

  /** Heap in use after a full GC, in MB (jcmd GC.run, then GC.heap_info); -1 if unreadable. */
  private static double heapAfterGc(long pid) {
    try {
      SuiteRedis.run("jcmd", Long.toString(pid), "GC.run");
      Matcher m = HEAP_USED.matcher(SuiteRedis.run("jcmd", Long.toString(pid), "GC.heap_info"));
      return m.find() ? Math.round(Long.parseLong(m.group(1)) / 102.4) / 10.0 : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private static long infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim());
      }
    }
    return -1;
  }

  /** Per minute of the run: calls sent, p99 of the answered ones. */
  private static List<Map<String, Object>> perMinute(List<CallRecord> records, long start) {
    Map<Integer, List<Long>> lat = new LinkedHashMap<>();
    Map<Integer, Long> calls = new LinkedHashMap<>();
    for (CallRecord r : records) {
      int minute = (int) ((r.sentNanos - start) / TimeUnit.MINUTES.toNanos(1));
      calls.merge(minute, 1L, Long::sum);
      if (r.outcome == Driver.Outcome.RES) {
        lat.computeIfAbsent(minute, m -> new ArrayList<>()).add(r.endNanos - r.sentNanos);
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (int m = 0; calls.containsKey(m); m++) {
      List<Long> l = lat.getOrDefault(m, new ArrayList<>());
      l.sort(null);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("calls", calls.get(m));
      row.put("p99Ms", Outcomes.percentile(l, 99));
      out.add(row);
    }
    return out;
  }

  /** Least-squares slope of {@code key} against the minute, per hour. */
  private static double slope(List<Map<String, Object>> samples, String key) {
    List<double[]> pts = new ArrayList<>();
    for (Map<String, Object> s : samples) {
      if (s.get(key) instanceof Number n && n.doubleValue() >= 0) {
        pts.add(new double[] {((Number) s.get("minute")).doubleValue(), n.doubleValue()});
      }
    }
    if (pts.size() < 2) {
      return 0;
    }
    double mx = pts.stream().mapToDouble(p -> p[0]).average().orElse(0);
    double my = pts.stream().mapToDouble(p -> p[1]).average().orElse(0);
    double num = 0;
    double den = 0;
    for (double[] p : pts) {
      num += (p[0] - mx) * (p[1] - my);
      den += (p[0] - mx) * (p[0] - mx);
    }
    return den == 0 ? 0 : Math.round(num / den * 60 * 100) / 100.0;
  }

  private static Duration parse(String d) {
    if (d.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(d.substring(0, d.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(d.replace("s", "")));
  }
}
