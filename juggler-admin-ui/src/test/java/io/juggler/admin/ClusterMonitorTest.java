package io.juggler.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.juggler.broker.redis.RedisRegistry;
import io.juggler.registry.InstanceState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterMonitorTest {

  static InstanceState instance(String id, long calls) {
    return new InstanceState(
        id,
        "h",
        0,
        0,
        2_000,
        true,
        false,
        0,
        List.of(),
        0,
        List.of(),
        Map.of("calls", calls),
        0,
        List.of());
  }

  static ClusterMonitor.Snapshot snapshot(long at, InstanceState... instances) {
    return new ClusterMonitor.Snapshot(
        at,
        null,
        List.of(instances),
        Map.of(),
        List.of(),
        new RedisRegistry.QueueScan(List.of(), true, 1),
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
  void firstViewWaitsForEveryInstanceThatWasAliveToPublishAgain() {
    Map<String, Long> before = Map.of("a", 100L, "b", 200L);
    assertEquals(false, ClusterMonitor.allPublishedSince(before, Map.of("a", 150L, "b", 200L)));
    assertEquals(true, ClusterMonitor.allPublishedSince(before, Map.of("a", 150L, "b", 260L)));
    // gone, or new since: nothing to wait for
    assertEquals(true, ClusterMonitor.allPublishedSince(before, Map.of("a", 150L, "c", 1L)));
    assertEquals(true, ClusterMonitor.allPublishedSince(Map.of(), Map.of("c", 1L)));
  }
}
