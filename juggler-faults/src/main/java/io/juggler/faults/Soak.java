package io.juggler.faults;

import io.juggler.client.JugglerClient;
import io.juggler.client.Subscription;
import io.juggler.client.commandline.CommandLine;
import io.juggler.client.commandline.Durations;
import io.juggler.faults.Driver.CallRecord;
import io.juggler.launcher.Machine;
import io.juggler.message.RawJson;
import io.juggler.testing.redis.RedisProcess;
import io.juggler.testing.report.Report;
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
import redis.clients.jedis.Jedis;

/**
 * The soak ({@code ./faults.sh --soak 10m}, {@code --soak-warmup 60s}): a server and a callee
 * instance on one Redis; first the peak of the soak's own mix is measured: both URIs at once, each
 * by a closed-loop run of the project's load generator ({@code juggler-load.jar}), while the same
 * pub-sub load runs; then, for the soak's duration, each URI at 80 % of the rate it reached in that
 * peak (open loop, the suite's {@link Driver}: {@value #URIS_CONNECTIONS} connections per URI, one
 * at-most-once and one at-least-once URI), pub-sub at the same time ({@code juggler-load --mode
 * pubsub}), and connections coming and going (one short-lived connection a second: subscribe, a few
 * calls, close). Every minute: each JVM's heap after a full GC ({@code jcmd GC.run}, then {@code
 * GC.heap_info}), its threads, Redis's connected clients and keys, and the p99 of the calls of that
 * minute. Reports the slopes per hour of each, the spread of the per-minute p99 (largest ÷ median,
 * per URI), and what became of every call.
 */
final class Soak {

  static final String AT_MOST_ONCE = "test.echo";
  static final String AT_LEAST_ONCE = "test.reliable.delay";
  static final List<String> URIS = List.of(AT_MOST_ONCE, AT_LEAST_ONCE);

  /** Open-loop connections per URI in the soak. */
  static final int URIS_CONNECTIONS = 10;

  /** The payload of every call: test.echo answers it, test.reliable.delay sleeps 0 ms. */
  static final String PAYLOAD = "\"0\"";

  private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private Soak() {}

  static void main(CommandLine.Parsed opts) throws Exception {
    Duration duration = Durations.parse(opts.string("soak", "10m"));
    Duration warmup = Durations.parse(opts.string("soak-warmup", "60s"));
    Path work = Path.of("juggler-faults", "target", "soak").toAbsolutePath();
    Path runtime = Path.of("juggler-launcher", "target", "runtime").toAbsolutePath();
    Path out = Path.of(opts.string("out", "docs/faults"));
    Files.createDirectories(work);
    Map<String, Object> machine = Machine.describe(Faults.run("redis-server", "--version"));
    machine.put("uptimeAtStart", Faults.uptime());
    Report report = new Report("faults", "Juggler EE soak", machine);
    report.inNameOrder();
    try (RedisProcess redis =
            RedisProcess.options()
                .dir(work.resolve("redis"))
                .args(Faults.AOF_ALWAYS)
                .args("--protected-mode", "no")
                .start();
        Jedis admin = redis.jedis()) {
      Instance server =
          Instance.start(
              "server",
              runtime,
              work,
              Faults.freePort(),
              Map.of("JUGGLER_REDIS_URL", redis.url(), "JUGGLER_CALLEE_ENABLED", "false"));
      Instance callee =
          Instance.start(
              "callee",
              runtime,
              work,
              Faults.freePort(),
              Faults.calleeOnly(Map.of("JUGGLER_REDIS_URL", redis.url())));
      try {
        server.awaitReady(300);
        callee.awaitReady(300);
        URI url = URI.create(server.websocketUrl());
        Map<String, Double> peak =
            opts.has("soak-rate")
                ? even(Double.parseDouble(opts.string("soak-rate", null)) / 0.8)
                : measurePeak(work, url);
        Map<String, Double> rates = new LinkedHashMap<>();
        peak.forEach((uri, r) -> rates.put(uri, 0.8 * r));
        double target = rates.values().stream().mapToDouble(Double::doubleValue).sum();
        report.parameter(
            "peakCallsPerSecond",
            Math.round(peak.values().stream().mapToDouble(Double::doubleValue).sum()));
        report.parameter("peakByUri", rounded(peak));
        Path peakPubSub = work.resolve("peak-pubsub.json");
        if (!opts.has("soak-rate") && Files.exists(peakPubSub)) {
          report.note(
              "pub-sub during the peak", Files.readString(peakPubSub).trim().replace('\n', ' '));
        }
        report.parameter("soakCallsPerSecond", Math.round(target));
        report.parameter(
            "rpc",
            URIS_CONNECTIONS
                + " connections per URI, open loop, timeout 10 s: "
                + String.format(
                    "%.1f calls/s each on %s (at most once), %.1f on %s with 0 ms (at least once)",
                    rates.get(AT_MOST_ONCE) / URIS_CONNECTIONS,
                    AT_MOST_ONCE,
                    rates.get(AT_LEAST_ONCE) / URIS_CONNECTIONS,
                    AT_LEAST_ONCE));
        report.parameter("durationSeconds", duration.toSeconds());
        report.parameter(
            "warmupSeconds",
            warmup.toSeconds() + " at the same load before the measured part (calls not counted)");

        // pub-sub warms up with the RPC load, then measures over the same part
        Process pubsub = startPubSub(work, "pubsub", url, warmup, duration);
        ChurnStats churn = new ChurnStats();
        List<Map<String, Object>> samples = new ArrayList<>();
        List<CallRecord> records;
        long start;
        List<Driver> drivers = new ArrayList<>();
        try {
          for (String uri : URIS) {
            drivers.add(
                new Driver(
                    url,
                    URIS_CONNECTIONS,
                    List.of(uri),
                    RawJson.of(PAYLOAD),
                    Duration.ofSeconds(10),
                    rates.get(uri) / URIS_CONNECTIONS));
          }
          drivers.forEach(Driver::start);
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
          for (Driver d : drivers) {
            d.stopSending();
          }
          churner.join(20_000);
          long measuredFrom = start;
          List<CallRecord> all = drivers.stream().flatMap(d -> d.records().stream()).toList();
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
          for (String uri : URIS) {
            String column = uri.equals(AT_MOST_ONCE) ? "AtMostOnce" : "AtLeastOnce";
            List<CallRecord> ofUri = records.stream().filter(r -> r.uri.equals(uri)).toList();
            List<Map<String, Object>> byMinute = perMinute(ofUri, start);
            for (int i = 0; i < samples.size() && i < byMinute.size(); i++) {
              samples.get(i).put("p99" + column + "Ms", byMinute.get(i).get("p99Ms"));
              samples.get(i).put("calls" + column, byMinute.get(i).get("calls"));
            }
            report.parameter("p99Spread" + column, spread(byMinute));
          }
        } finally {
          drivers.forEach(Driver::close);
        }
        samples.forEach(s -> report.add("samples", s));
        for (String uri : URIS) {
          Map<String, Object> row =
              Outcomes.row(
                  "soak",
                  uri,
                  uri.equals(AT_MOST_ONCE) ? "at most once" : "at least once",
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
                "p99AtMostOnceMs",
                "p99AtLeastOnceMs")) {
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

  /**
   * The peak of the soak's mix: both URIs at once, each by its own closed-loop juggler-load (20
   * connections x 4 in flight, 5 s of warm-up, 20 s measured), while a pub-sub load like the soak's
   * runs beside them; what each URI reached, in calls per second. Both share the server, the callee
   * and the machine, so each figure is that URI's share of the mix's peak.
   */
  private static Map<String, Double> measurePeak(Path work, URI url) throws Exception {
    Process pubsub = startPubSub(work, "peak-pubsub", url, Duration.ZERO, Duration.ofSeconds(30));
    Map<String, Process> loads = new LinkedHashMap<>();
    try {
      for (String uri : URIS) {
        String name = "peak-" + uri;
        loads.put(
            uri,
            new ProcessBuilder(
                    java(),
                    "-jar",
                    "juggler-client/target/juggler-load.jar",
                    "--url",
                    url.toString(),
                    "--connections",
                    "20",
                    "--concurrency",
                    "4",
                    "--uri",
                    uri,
                    "--payload",
                    PAYLOAD,
                    "--duration",
                    "20s",
                    "--warmup",
                    "5s",
                    "--json",
                    "--quiet")
                .redirectOutput(work.resolve(name + ".json").toFile())
                .redirectError(work.resolve(name + ".err").toFile())
                .start());
      }
      Map<String, Double> peak = new LinkedHashMap<>();
      for (Map.Entry<String, Process> e : loads.entrySet()) {
        Process p = e.getValue();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException("peak measurement failed; see " + work);
        }
        Path json = work.resolve("peak-" + e.getKey() + ".json");
        JsonObject o = Json.createReader(new StringReader(Files.readString(json))).readObject();
        peak.put(e.getKey(), o.getJsonNumber("resultsPerSecond").doubleValue());
      }
      System.out.println("[faults] measured peak of the soak's mix (calls/s): " + rounded(peak));
      return peak;
    } finally {
      loads.values().forEach(Process::destroy);
      pubsub.waitFor(60, TimeUnit.SECONDS);
      pubsub.destroy();
    }
  }

  /** {@code total} calls per second, half on each URI. */
  private static Map<String, Double> even(double total) {
    Map<String, Double> m = new LinkedHashMap<>();
    URIS.forEach(u -> m.put(u, total / URIS.size()));
    return m;
  }

  private static Map<String, Long> rounded(Map<String, Double> m) {
    Map<String, Long> r = new LinkedHashMap<>();
    m.forEach((k, v) -> r.put(k, Math.round(v)));
    return r;
  }

  /**
   * How far the per-minute p99 strays: the largest minute's p99 ÷ the median minute's (1.0: flat),
   * over the complete minutes; 0 when there are none.
   */
  static double spread(List<Map<String, Object>> byMinute) {
    List<Double> p99 = new ArrayList<>();
    for (Map<String, Object> m : byMinute) {
      if (m.get("p99Ms") instanceof Number n && n.doubleValue() > 0) {
        p99.add(n.doubleValue());
      }
    }
    if (p99.size() > 1) {
      p99.remove(p99.size() - 1); // the last minute is partial
    }
    if (p99.isEmpty()) {
      return 0;
    }
    p99.sort(null);
    double median = p99.get(p99.size() / 2);
    return Math.round(p99.get(p99.size() - 1) / median * 100) / 100.0;
  }

  private static Process startPubSub(
      Path work, String name, URI url, Duration warmup, Duration duration) throws IOException {
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
        .redirectOutput(work.resolve(name + ".json").toFile())
        .redirectError(work.resolve(name + ".err").toFile())
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
      Faults.run("jcmd", Long.toString(pid), "GC.run");
      Matcher m = HEAP_USED.matcher(Faults.run("jcmd", Long.toString(pid), "GC.heap_info"));
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
}
