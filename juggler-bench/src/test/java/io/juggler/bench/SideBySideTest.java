package io.juggler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SideBySideTest {

  @Test
  void cpuPerCallIsTicksInMicrosecondsOverCalls() {
    // 100 ticks = 1 s of CPU over 2,000 calls = 500 µs each
    assertEquals(500.0, SideBySide.cpuMicrosPerCall(100, 2_000));
    // 7 ticks over 3 calls: 23,333.3 µs, to one decimal
    assertEquals(23_333.3, SideBySide.cpuMicrosPerCall(7, 3));
    assertEquals(0.0, SideBySide.cpuMicrosPerCall(0, 10));
  }

  @Test
  void cpuPerCallIsUnknownWithoutCallsOrReadings() {
    assertEquals(-1, SideBySide.cpuMicrosPerCall(100, 0));
    assertEquals(-1, SideBySide.cpuMicrosPerCall(-1, 100));
  }

  @Test
  void tickDeltasAreSummedOverProcesses() {
    assertEquals(
        15, ReferenceLoads.delta(new long[] {100, 200}, new long[] {110, 205}), "server + callee");
    assertEquals(-1, ReferenceLoads.delta(new long[] {100, -1}, new long[] {110, 205}));
  }

  @Test
  void tickDeltasAreTakenPerGroupOfReadings() {
    long[] before = {100, 200, 50, 10};
    long[] after = {110, 205, 53, 30};
    assertEquals(15, ReferenceLoads.delta(before, after, 0, 2), "server + callee");
    assertEquals(3, ReferenceLoads.delta(before, after, 2, 3), "Redis");
    assertEquals(20, ReferenceLoads.delta(before, after, 3, 4), "the load tool");
  }

  @Test
  void theTargetListsServersThenRedisThenTheTool() {
    ReferenceLoads.Target t = new ReferenceLoads.Target("ws://x/ws", null, 7, 1, 2);
    assertEquals(List.of(1L, 2L, 7L, 9L), Arrays.stream(t.pids(9)).boxed().toList());
  }

  @Test
  void theCeilingIsTheCoresOverWhatToolAndRedisSpendPerCall() {
    // 2 cores, the tool 150 µs and Redis 50 µs per call: 2,000,000 µs / 200 µs = 10,000 calls/s
    assertEquals(10_000L, SideBySide.ceilingCallsPerSecond(2, 150, 50));
    assertEquals(6_667L, SideBySide.ceilingCallsPerSecond(2, 300, 0));
    assertNull(SideBySide.ceilingCallsPerSecond(2, -1, 50), "unknown tool CPU");
    assertNull(SideBySide.ceilingCallsPerSecond(2, 0, 0), "nothing measured");
  }

  @Test
  void ratiosAreRoundedAndUnknownAgainstNothing() {
    assertEquals(1.41, SideBySide.ratio(2_338.0, 1_662.0));
    assertEquals(0.5, SideBySide.ratio(300L, 600L));
    assertNull(SideBySide.ratio(300.0, 0.0));
    assertNull(SideBySide.ratio(-1.0, 600.0), "unknown CPU");
    assertNull(SideBySide.ratio(null, 600.0));
  }

  @Test
  void theRowComparesEachJugglerRuntimeWithTheReference() {
    Map<String, Map<String, Object>> bySystem = new LinkedHashMap<>();
    bySystem.put("open-liberty", system(2_400, 4, 90, 30, 450, 1.5));
    bySystem.put("go", system(1_600, 2, 80, 10, 600, 1.1));
    bySystem.put("payara-micro", system(3_200, 1, 40, 5, 300, 1.3));
    Map<String, Object> row = SideBySide.row(100, ReferenceLoads.GO_TOOL, bySystem);

    assertEquals(100, row.get("connections"));
    assertEquals(2.0, row.get("eeToGoCalls"));
    assertEquals(0.5, row.get("eeToGoP50"));
    assertEquals(0.5, row.get("eeToGoP99"));
    assertEquals(0.5, row.get("eeToGoCpu"));
    assertEquals(1.5, row.get("libertyToGoCalls"));
    assertEquals(1.13, row.get("libertyToGoP99"));
    assertEquals(30L, row.get("libertyExpired"));
    assertFalse(row.containsKey("goToGoCalls"));
    assertEquals("go 1.1 / ee 1.3 / liberty 1.5", row.get("loadAverage1m"));
    // columns in the order of the systems, whatever the order they were measured in
    List<String> keys = List.copyOf(row.keySet());
    assertEquals(true, keys.indexOf("goCallsPerSecond") < keys.indexOf("eeCallsPerSecond"));
    assertEquals(true, keys.indexOf("eeCallsPerSecond") < keys.indexOf("libertyCallsPerSecond"));
  }

  @Test
  void withoutTheReferenceThereAreNoRatios() {
    Map<String, Object> row =
        SideBySide.row(
            10, ReferenceLoads.OUR_TOOL, Map.of("payara-micro", system(1_000, 2, 9, 0, 700, 1)));
    assertEquals(1_000.0, row.get("eeCallsPerSecond"));
    assertFalse(row.containsKey("eeToGoCalls"));
    assertFalse(row.containsKey("goCallsPerSecond"));
  }

  private static Map<String, Object> system(
      double callsPerSecond, double p50, double p99, long expired, double cpu, double load) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("callsPerSecond", callsPerSecond);
    m.put("p50Ms", p50);
    m.put("p99Ms", p99);
    m.put("expired", expired);
    m.put("cpuMicrosPerCall", cpu);
    m.put("loadAverage1m", load);
    return m;
  }
}
