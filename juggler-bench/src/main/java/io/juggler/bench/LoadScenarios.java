package io.juggler.bench;

import io.juggler.client.load.Load;
import io.juggler.launcher.Machine;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenarios 1 (closed-loop RPC) and 2 (pub-sub fan-out), driven by the load generator of {@code
 * juggler-client} exactly as an operator runs it ({@code --json --quiet}), with the CPU time the
 * server and callee processes spent during each step.
 */
final class LoadScenarios {

  private LoadScenarios() {}

  /** Scenario 1: {@code connections} connections, one call in flight each, on {@code test.echo}. */
  static Map<String, Object> rpc(
      String url, int connections, Duration duration, double ceiling, long... pids)
      throws InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--url",
                url,
                "--connections",
                Integer.toString(connections),
                "--concurrency",
                "1",
                "--uri",
                "test.echo",
                "--payload",
                "\"hello\"",
                "--timeout",
                "10s",
                "--warmup",
                "2s"));
    Cpu cpu = Cpu.start(pids);
    JsonObject r = load(args, duration);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("connections", connections);
    row.put("callsPerSecond", r.getJsonNumber("resultsPerSecond").doubleValue());
    row.put(
        "ratioToRawRoundTrips",
        ceiling > 0
            ? Math.round(r.getJsonNumber("resultsPerSecond").doubleValue() / ceiling * 100) / 100.0
            : null);
    JsonObject lat = r.getJsonObject("latencyMs");
    for (String p : new String[] {"p50", "p90", "p99", "p99.9", "max"}) {
      row.put(p + "Ms", lat.getJsonNumber(p).doubleValue());
    }
    row.put("calls", r.getJsonNumber("calls").longValue());
    row.put("nacks", r.getJsonNumber("nacks").longValue());
    row.put("expired", r.getJsonNumber("expired").longValue());
    row.put("failed", r.getJsonNumber("failed").longValue());
    cpu.stop(row, "serverCpuPercent", "calleeCpuPercent");
    row.put("loadAverage1m", Machine.loadAverage());
    return row;
  }

  /** Scenario 2: {@code subscribers} connections on one channel, one publisher at {@code rate}. */
  static Map<String, Object> pubsub(
      String url, int subscribers, double rate, Duration duration, long serverPid)
      throws InterruptedException {
    return pubsub(url, subscribers, rate, duration, serverPid, null);
  }

  /**
   * Scenario 2 on {@code channel} (null: the load tool's own): scenario 6 names one that keeps a
   * history.
   */
  static Map<String, Object> pubsub(
      String url, int subscribers, double rate, Duration duration, long serverPid, String channel)
      throws InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--mode",
                "pubsub",
                "--url",
                url,
                "--subscribers",
                Integer.toString(subscribers),
                "--publishers",
                "1",
                "--publish-rate",
                Long.toString(Math.round(rate)),
                "--warmup",
                "2s"));
    if (channel != null) {
      args.addAll(List.of("--channel", channel));
    }
    Cpu cpu = Cpu.start(serverPid);
    JsonObject r = load(args, duration);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("subscribers", subscribers);
    row.put("publishesPerSecond", rate);
    row.put("offeredEventsPerSecond", Math.round(rate * subscribers));
    row.put("deliveredEventsPerSecond", r.getJsonNumber("deliveredPerSecond").doubleValue());
    row.put("published", r.getJsonNumber("published").longValue());
    row.put("delivered", r.getJsonNumber("delivered").longValue());
    row.put("missed", r.getJsonNumber("missed").longValue());
    JsonObject lat = r.getJsonObject("latencyMs");
    for (String p : new String[] {"p50", "p99", "max"}) {
      row.put(p + "Ms", lat.getJsonNumber(p).doubleValue());
    }
    // delivered counts events published in the window whenever they arrived: a server that falls
    // behind still delivers them all, late. It keeps up when 99 % arrive within a second.
    row.put(
        "keepsUp",
        r.getJsonNumber("missed").longValue() == 0
            && r.getJsonNumber("delivered").longValue() > 0
            && lat.getJsonNumber("p99").doubleValue() <= KEEPS_UP_P99_MS);
    cpu.stop(row, "serverCpuPercent");
    row.put("loadAverage1m", Machine.loadAverage());
    return row;
  }

  /** The p99 event latency (ms) up to which a pub-sub step counts as keeping up. */
  static final double KEEPS_UP_P99_MS = 1_000;

  private static JsonObject load(List<String> args, Duration duration) throws InterruptedException {
    args.addAll(List.of("--duration", duration.toMillis() + "ms", "--json", "--quiet"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Load.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    if (status != 0) {
      throw new IllegalStateException(
          "juggler-load "
              + args
              + " exited "
              + status
              + ": "
              + err.toString(StandardCharsets.UTF_8));
    }
    try (JsonReader reader =
        Json.createReader(new StringReader(out.toString(StandardCharsets.UTF_8)))) {
      return reader.readObject();
    }
  }

  /** CPU time of some processes over a step, as a percentage of one core. */
  private record Cpu(long[] pids, long[] ticks, long startNanos) {

    static Cpu start(long... pids) {
      long[] t = new long[pids.length];
      for (int i = 0; i < pids.length; i++) {
        t[i] = Machine.cpuTicks(pids[i]);
      }
      return new Cpu(pids, t, System.nanoTime());
    }

    void stop(Map<String, Object> row, String... names) {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      for (int i = 0; i < pids.length && i < names.length; i++) {
        long used = Machine.cpuTicks(pids[i]) - ticks[i];
        row.put(names[i], Math.round(used / Machine.TICKS_PER_SECOND / seconds * 100));
      }
    }
  }
}
