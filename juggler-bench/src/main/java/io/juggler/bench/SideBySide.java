package io.juggler.bench;

import io.juggler.launcher.Machine;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic of the comparison with the Go reference: CPU time per call from {@code /proc} tick
 * deltas, ratios, and the side-by-side row built from the rows of each system at one load.
 */
final class SideBySide {

  private SideBySide() {}

  /** The systems compared, in their column order; the first is the baseline of the ratios. */
  static final List<String> SYSTEMS = List.of("go", "payara-micro", "open-liberty");

  /** Column prefixes of {@link #SYSTEMS} in the side-by-side table. */
  private static final Map<String, String> PREFIX =
      Map.of("go", "go", "payara-micro", "ee", "open-liberty", "liberty");

  /**
   * The column prefix of a system as spelled in {@code --systems}: that of its base ({@code ee},
   * {@code liberty}) followed by its JDK's letters and digits ({@code payara-micro@25+coh}: {@code
   * ee25coh}; a java home: its last folder's, {@code @/opt/jdk-21}: {@code eejdk21}).
   */
  static String prefix(String label) {
    int at = label.indexOf('@');
    String base = at < 0 ? label : label.substring(0, at);
    String p = PREFIX.getOrDefault(base, base.replaceAll("[^A-Za-z0-9]", ""));
    if (at < 0) {
      return p;
    }
    String jdk = label.substring(at + 1);
    String home = jdk.replaceAll("\\+coh$", "").replaceAll("/+$", "");
    if (home.contains("/")) {
      jdk = home.substring(home.lastIndexOf('/') + 1) + (jdk.endsWith("+coh") ? "coh" : "");
    }
    return p + jdk.replaceAll("[^A-Za-z0-9]", "");
  }

  /** Where a system's columns go: by its base's place in {@link #SYSTEMS}. */
  private static int order(String label) {
    int at = label.indexOf('@');
    int i = SYSTEMS.indexOf(at < 0 ? label : label.substring(0, at));
    return i < 0 ? SYSTEMS.size() : i;
  }

  /**
   * CPU time per completed call in microseconds: {@code ticks} clock ticks of user plus system time
   * ({@link Machine#TICKS_PER_SECOND} per second) over {@code calls} calls; -1 when either is
   * unknown or there were no calls.
   */
  static double cpuMicrosPerCall(long ticks, long calls) {
    if (ticks < 0 || calls <= 0) {
      return -1;
    }
    return Math.round(ticks / Machine.TICKS_PER_SECOND * 1e6 / calls * 10) / 10.0;
  }

  /**
   * The calls per second {@code cores} could carry if the server cost nothing: the cores' CPU time
   * over what the load tool and Redis spend per call ({@code toolMicros + redisMicros}), rounded;
   * null when either is unknown (negative) or both are 0.
   */
  static Long ceilingCallsPerSecond(int cores, double toolMicros, double redisMicros) {
    if (toolMicros < 0 || redisMicros < 0 || toolMicros + redisMicros <= 0) {
      return null;
    }
    return Math.round(cores * 1e6 / (toolMicros + redisMicros));
  }

  /** {@code value / baseline}, to two decimals; null when either is unknown (negative) or zero. */
  static Double ratio(Object value, Object baseline) {
    if (!(value instanceof Number v) || !(baseline instanceof Number b)) {
      return null;
    }
    if (v.doubleValue() < 0 || b.doubleValue() <= 0) {
      return null;
    }
    return Math.round(v.doubleValue() / b.doubleValue() * 100) / 100.0;
  }

  /**
   * One row of the side-by-side table: each system's calls/s, p50, p99, expired calls and CPU per
   * call, with the ratio of each Juggler EE runtime to the reference ({@code eeToGoCalls} and so
   * on). {@code bySystem} maps a system as spelled in {@code --systems} (a base of {@link
   * #SYSTEMS}, perhaps with a JDK: {@link #prefix}) to its row at this load (keys {@code
   * callsPerSecond}, {@code p50Ms}, {@code p99Ms}, {@code expired}, {@code cpuMicrosPerCall},
   * {@code loadAverage1m}; {@code redisCpuMicrosPerCall} and {@code ceilingCallsPerSecond} when
   * present); absent systems leave their columns out. Columns go in the order of {@link #SYSTEMS},
   * variants of one base in the order given.
   */
  static Map<String, Object> row(
      int connections, String loadTool, Map<String, Map<String, Object>> bySystem) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("connections", connections);
    out.put("loadTool", loadTool);
    Map<String, Object> go = bySystem.get("go");
    StringBuilder load = new StringBuilder();
    List<String> systems =
        bySystem.keySet().stream().sorted(Comparator.comparingInt(SideBySide::order)).toList();
    for (String system : systems) {
      Map<String, Object> r = bySystem.get(system);
      String p = prefix(system);
      boolean compared = !system.equals("go") && go != null;
      out.put(p + "CallsPerSecond", r.get("callsPerSecond"));
      if (compared) {
        out.put(p + "ToGoCalls", ratio(r.get("callsPerSecond"), go.get("callsPerSecond")));
      }
      out.put(p + "P50Ms", r.get("p50Ms"));
      if (compared) {
        out.put(p + "ToGoP50", ratio(r.get("p50Ms"), go.get("p50Ms")));
      }
      out.put(p + "P99Ms", r.get("p99Ms"));
      if (compared) {
        out.put(p + "ToGoP99", ratio(r.get("p99Ms"), go.get("p99Ms")));
      }
      out.put(p + "Expired", r.get("expired"));
      if (r.containsKey("serverExpired")) {
        out.put(p + "ServerExpired", r.get("serverExpired"));
      }
      out.put(p + "CpuMicrosPerCall", r.get("cpuMicrosPerCall"));
      if (compared) {
        out.put(p + "ToGoCpu", ratio(r.get("cpuMicrosPerCall"), go.get("cpuMicrosPerCall")));
      }
      if (r.containsKey("redisCpuMicrosPerCall")) {
        out.put(p + "RedisCpuMicrosPerCall", r.get("redisCpuMicrosPerCall"));
      }
      if (r.containsKey("ceilingCallsPerSecond")) {
        out.put(p + "CeilingCallsPerSecond", r.get("ceilingCallsPerSecond"));
      }
      load.append(load.isEmpty() ? "" : " / ").append(p).append(' ').append(r.get("loadAverage1m"));
    }
    out.put("loadAverage1m", load.toString());
    return out;
  }
}
