package io.juggler.launcher;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What figures were measured on, and readings of processes on it from {@code /proc}: for the
 * benchmark and the fault suite.
 */
public final class Machine {

  private Machine() {}

  public static Map<String, Object> describe(String redisVersion) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", OffsetDateTime.now().withNano(0).toString());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("loadAverage1m", loadAverage());
    m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("redis", redisVersion);
    return m;
  }

  public static double loadAverage() {
    return Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100)
        / 100.0;
  }

  /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
  public static final double TICKS_PER_SECOND = 100.0;

  /** User plus system CPU time of a process in clock ticks, or -1. */
  public static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // fields after the command name, which is in parentheses and may hold spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (Exception e) {
      return -1;
    }
  }

  /** A field of {@code /proc/<pid>/status} such as {@code VmRSS} (kB) or {@code Threads}. */
  public static long procStatus(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }
}
