package io.juggler.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.juggler.broker.QueueScan;
import io.juggler.registry.InstanceState;
import io.juggler.registry.RegisteredInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterMonitorTest {

  static RegisteredInstance instance(String id, long calls) {
    return instance(id, calls, 0, false);
  }

  static RegisteredInstance instance(String id, long calls, int connections, boolean silent) {
    InstanceState s =
        new InstanceState(
            id,
            "h",
            0,
            0,
            2_000,
            true,
            false,
            connections,
            List.of(),
            0,
            List.of(),
            Map.of("calls", calls),
            0,
            List.of());
    return new RegisteredInstance(s, silent ? 4_000 : 100, 10_000, silent);
  }

  static ClusterMonitor.Snapshot snapshot(long at, RegisteredInstance... instances) {
    return new ClusterMonitor.Snapshot(
        at,
        null,
        List.of(instances),
        Map.of(),
        List.of(),
        new QueueScan(List.of(), true, 1),
        List.of(),
        List.of());
  }

  @Test
  void rateIsCounterGrowthPerSecondSummedOverInstances() {
    ClusterMonitor.Snapshot a = snapshot(0, instance("x", 10), instance("y", 100));
    ClusterMonitor.Snapshot b = snapshot(2_000, instance("x", 30), instance("y", 120));
    assertEquals(20.0, ClusterMonitor.rate(a, b, "calls", 2.0));
  }

  @Test
  void anInstanceThatLeftOrRestartedNeverMakesTheRateNegative() {
    ClusterMonitor.Snapshot a = snapshot(0, instance("x", 10), instance("y", 500));
    // y is gone; x restarted under the same id with fresh counters; z is new
    ClusterMonitor.Snapshot b = snapshot(1_000, instance("x", 3), instance("z", 4));
    assertEquals(4.0, ClusterMonitor.rate(a, b, "calls", 1.0));
  }

  @Test
  void silentInstancesAreLeftOutOfLiveTotalsButNotOutOfTheCounters() {
    ClusterMonitor.Snapshot s =
        snapshot(0, instance("x", 10, 3, false), instance("dead", 500, 40, true));
    assertEquals(List.of("x"), s.live().stream().map(InstanceState::id).toList());
    assertEquals(1, s.silentCount());
    assertEquals(3, s.totalConnections());
    assertEquals(510, s.counter("calls"));
  }

  @Test
  void anInstanceSilentForAWhileContinuesItsRateWhereItWas() {
    ClusterMonitor.Snapshot a = snapshot(0, instance("x", 10), instance("y", 500, 0, true));
    // y publishes again: its calls since it went silent count, not its whole count
    ClusterMonitor.Snapshot b = snapshot(1_000, instance("x", 12), instance("y", 503));
    assertEquals(5.0, ClusterMonitor.rate(a, b, "calls", 1.0));
  }

  @Test
  void firstViewWaitsForEveryInstanceThatWasAliveToPublishAgain() {
    Map<String, Long> before = Map.of("a", 100L, "b", 200L);
    assertEquals(false, ClusterMonitor.allPublishedSince(before, Map.of("a", 150L, "b", 200L)));
    assertEquals(true, ClusterMonitor.allPublishedSince(before, Map.of("a", 150L, "b", 260L)));
    // gone, or new since: nothing to wait for
    assertEquals(true, ClusterMonitor.allPublishedSince(before, Map.of("a", 150L, "c", 1L)));
    assertEquals(true, ClusterMonitor.allPublishedSince(Map.of(), Map.of("c", 1L)));
  }
}
