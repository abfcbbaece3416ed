package io.juggler.bench;

import io.juggler.client.load.Load;
import io.juggler.launcher.Machine;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop RPC runs on {@code test.echo} (payload {@code "hello"}, one call in flight per
 * connection, 1 s call timeout) by either load tool, with the CPU time of the server and callee
 * processes, of the system's Redis and of the load tool (the Go tool's process, or this JVM for
 * ours) over the measured window: from the Go tool's "connections started" line to its
 * "stopping..." line, or from our tool's first progress line after its 1 s warm-up to its end.
 */
final class ReferenceLoads {

  private ReferenceLoads() {}

  /**
   * What a run loads and measures: the websocket URL, the server's base URL for its MicroProfile
   * Metrics ({@code null} for the Go reference), the pid of the system's own Redis, and the pids of
   * the server and callee processes.
   */
  record Target(String url, String metricsBase, long redisPid, long... serverPids) {

    /** The server and callee pids, then Redis's, then the load tool's. */
    long[] pids(long toolPid) {
      long[] all = Arrays.copyOf(serverPids, serverPids.length + 2);
      all[serverPids.length] = redisPid;
      all[serverPids.length + 1] = toolPid;
      return all;
    }
  }

  static final String GO_TOOL = "go juggler-load";
  static final String OUR_TOOL = "juggler-client load";

  /**
   * The Go tool's wait for outstanding calls after the run ({@code -w}, longer than {@code -t}).
   */
  private static final String GO_WAIT = "3s";

  /** The Go tool against {@code url}: one row, or one with an {@code error}. */
  static Map<String, Object> go(Path bin, Target target, int connections, Duration duration)
      throws IOException, InterruptedException {
    String url = target.url();
    List<String> cmd =
        List.of(
            bin.resolve(GoReference.LOAD).toString(),
            "-addr",
            url,
            "-c",
            Integer.toString(connections),
            "-d",
            duration.toMillis() + "ms",
            "-r",
            "-1ms",
            "-t",
            "1s",
            "-w",
            GO_WAIT,
            "-V",
            "-u",
            "test.echo",
            "-p",
            "hello");
    ServerCounters served = counters(target);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    long[] pids = target.pids(p.pid());
    Thread watchdog = watchdog(p, duration.plusSeconds(120 + connections / 10));
    long[] before = null;
    long[] after = null;
    long t0 = 0;
    long t1 = 0;
    StringBuilder text = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        text.append(line).append('\n');
        if (before == null && line.contains("connections started")) {
          before = ticks(pids);
          t0 = System.nanoTime();
        } else if (after == null && line.startsWith("stopping")) {
          after = ticks(pids);
          t1 = System.nanoTime();
        }
      }
    }
    int status = p.waitFor();
    watchdog.interrupt();
    ServerCounters servedAfter = counters(target);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("loadTool", GO_TOOL);
    row.put("connections", connections);
    GoLoadReport report;
    try {
      report = GoLoadReport.parse(text.toString());
    } catch (IllegalArgumentException e) {
      row.put("error", "exit " + status + ", " + e.getMessage() + ": " + tail(text));
      row.put("loadAverage1m", Machine.loadAverage());
      return row;
    }
    // the tool's own figure: Results over its Actual Duration, which runs on until each
    // connection's last call is answered or expired (up to -t, 1 s, past -d)
    row.put("callsPerSecond", round1(report.resultsPerSecond()));
    row.put("actualSeconds", round2(report.actualSeconds()));
    row.put("windowSeconds", t1 > t0 ? round2((t1 - t0) / 1e9) : -1);
    row.put("p50Ms", round2(report.p50Ms()));
    row.put("p90Ms", round2(report.p90Ms()));
    row.put("p99Ms", round2(report.p99Ms()));
    row.put("calls", report.calls());
    row.put("results", report.results());
    row.put("nacks", report.nacks());
    row.put("expired", report.expired());
    // the server's counts over the tool's whole run (it has no warm-up), so they match its own
    ServerCounters.put(row, served, servedAfter, report.calls(), report.expired());
    if (row.get("serverResults") instanceof Long res && res >= 0) {
      row.put("resultsNotCounted", res - report.results());
    }
    putCpu(row, target.serverPids().length, before, after, t0, t1, report.results());
    row.put("loadAverage1m", Machine.loadAverage());
    return row;
  }

  /** Our load generator ({@code juggler-client}), in this JVM, with the same load. */
  static Map<String, Object> ours(Target target, int connections, Duration duration)
      throws InterruptedException {
    String url = target.url();
    // the load generator runs in this JVM: its CPU is this process's (/proc/self)
    long[] pids = target.pids(ProcessHandle.current().pid());
    String[] args = {
      "--url", url,
      "--connections", Integer.toString(connections),
      "--concurrency", "1",
      "--uri", "test.echo",
      "--payload", "\"hello\"",
      "--timeout", "1s",
      "--warmup", "1s",
      "--duration", duration.toMillis() + "ms",
      "--json"
    };
    long[][] before = new long[1][];
    long[] t0 = new long[1];
    PrintStream progress =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8) {
          @Override
          public void println(String line) {
            if (before[0] == null && line.contains("calls/s") && !line.contains("(warm-up)")) {
              before[0] = ticks(pids);
              t0[0] = System.nanoTime();
            }
          }
        };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ServerCounters served = counters(target);
    int status = Load.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), progress);
    ServerCounters servedAfter = counters(target);
    long[] after = ticks(pids);
    long t1 = System.nanoTime();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("loadTool", OUR_TOOL);
    row.put("connections", connections);
    if (status != 0) {
      row.put("error", "exit " + status);
      row.put("loadAverage1m", Machine.loadAverage());
      return row;
    }
    JsonObject r;
    try (JsonReader reader =
        Json.createReader(new StringReader(out.toString(StandardCharsets.UTF_8)))) {
      r = reader.readObject();
    }
    JsonObject lat = r.getJsonObject("latencyMs");
    long results = r.getJsonNumber("results").longValue();
    row.put("callsPerSecond", r.getJsonNumber("resultsPerSecond").doubleValue());
    row.put("p50Ms", lat.getJsonNumber("p50").doubleValue());
    row.put("p90Ms", lat.getJsonNumber("p90").doubleValue());
    row.put("p99Ms", lat.getJsonNumber("p99").doubleValue());
    row.put("calls", r.getJsonNumber("calls").longValue());
    row.put("results", results);
    row.put("nacks", r.getJsonNumber("nacks").longValue());
    row.put("expired", r.getJsonNumber("expired").longValue());
    // over its whole run, its 1 s warm-up included: more than the measured calls
    ServerCounters.put(
        row,
        served,
        servedAfter,
        r.getJsonNumber("calls").longValue(),
        r.getJsonNumber("expired").longValue());
    putCpu(row, target.serverPids().length, before[0], after, t0[0], t1, results);
    row.put("loadAverage1m", Machine.loadAverage());
    return row;
  }

  /**
   * The CPU columns from tick readings of the server and callee processes (the first {@code
   * servers}), then Redis, then the load tool, over the window from {@code t0} to {@code t1}.
   */
  private static void putCpu(
      Map<String, Object> row,
      int servers,
      long[] before,
      long[] after,
      long t0,
      long t1,
      long results) {
    boolean read = before != null && after != null && t1 > t0;
    double seconds = (t1 - t0) / 1e9;
    long used = read ? delta(before, after, 0, servers) : -1;
    long redis = read ? delta(before, after, servers, servers + 1) : -1;
    long tool = read ? delta(before, after, servers + 1, servers + 2) : -1;
    row.put("cpuMicrosPerCall", SideBySide.cpuMicrosPerCall(used, results));
    row.put("cpuPercent", cpuPercent(used, seconds));
    double redisPerCall = SideBySide.cpuMicrosPerCall(redis, results);
    double toolPerCall = SideBySide.cpuMicrosPerCall(tool, results);
    row.put("redisCpuMicrosPerCall", redisPerCall);
    row.put("redisCpuPercent", cpuPercent(redis, seconds));
    row.put("toolCpuMicrosPerCall", toolPerCall);
    row.put("toolCpuPercent", cpuPercent(tool, seconds));
    row.put(
        "totalCpuPercent",
        used < 0 || redis < 0 || tool < 0 ? -1 : cpuPercent(used + redis + tool, seconds));
    row.put(
        "ceilingCallsPerSecond",
        SideBySide.ceilingCallsPerSecond(
            Runtime.getRuntime().availableProcessors(), toolPerCall, redisPerCall));
  }

  /** The server's counters now, or null for the Go reference (or when it does not answer). */
  private static ServerCounters counters(Target target) {
    return target.metricsBase() == null ? null : ServerCounters.read(target.metricsBase());
  }

  /** Ticks over {@code seconds}, in % of one core; -1 when unknown. */
  private static long cpuPercent(long ticks, double seconds) {
    return ticks < 0 || seconds <= 0
        ? -1
        : Math.round(ticks / Machine.TICKS_PER_SECOND / seconds * 100);
  }

  /**
   * Summed tick deltas of the readings {@code from} (inclusive) to {@code to}; -1 if any failed.
   */
  static long delta(long[] before, long[] after, int from, int to) {
    long sum = 0;
    for (int i = from; i < to; i++) {
      if (before[i] < 0 || after[i] < 0) {
        return -1;
      }
      sum += after[i] - before[i];
    }
    return sum;
  }

  /** Summed tick deltas; -1 if any reading failed. */
  static long delta(long[] before, long[] after) {
    return delta(before, after, 0, before.length);
  }

  private static long[] ticks(long... pids) {
    long[] t = new long[pids.length];
    for (int i = 0; i < pids.length; i++) {
      t[i] = Machine.cpuTicks(pids[i]);
    }
    return t;
  }

  private static Thread watchdog(Process p, Duration max) {
    Thread t =
        new Thread(
            () -> {
              try {
                if (!p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                  p.destroyForcibly();
                }
              } catch (InterruptedException e) {
                // the run ended
              }
            },
            "juggler-load-watchdog");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String tail(StringBuilder text) {
    String s = text.toString().strip();
    return s.length() <= 300 ? s : "…" + s.substring(s.length() - 300);
  }

  static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
