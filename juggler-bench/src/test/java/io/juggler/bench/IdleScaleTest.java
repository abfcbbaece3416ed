package io.juggler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IdleScaleTest {

  @Test
  void heapPerConnectionIsTheGrowthOverTheConnectionsAdded() {
    // 69 MB with 10, 130 MB with 2,000: 61 MB over 1,990 connections, 30.7 KB each
    assertEquals(
        30.7,
        IdleScale.heapKbPerConnection(
            Map.of("connections", 10, "heapUsedMbAfterGc", 69.0),
            Map.of("connections", 2000, "heapUsedMbAfterGc", 130.0)));
    assertEquals(
        -0.5,
        IdleScale.heapKbPerConnection(
            Map.of("connections", 10, "heapUsedMbAfterGc", 46.2),
            Map.of("connections", 210, "heapUsedMbAfterGc", 46.1)),
        "a GC can leave less: said as it is");
  }

  @Test
  void withoutBothReadingsThereIsNoFigure() {
    assertNull(
        IdleScale.heapKbPerConnection(
            Map.of("connections", 10, "heapUsedMbAfterGc", -1),
            Map.of("connections", 200, "heapUsedMbAfterGc", 50.0)));
    assertNull(
        IdleScale.heapKbPerConnection(
            Map.of("connections", 10, "heapUsedMbAfterGc", 50.0),
            Map.of("connections", 10, "heapUsedMbAfterGc", 50.0)));
  }
}
