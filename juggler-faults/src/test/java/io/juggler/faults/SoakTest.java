package io.juggler.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's measure of how steady the per-minute p99 stays. */
class SoakTest {

  private static Map<String, Object> minute(double p99) {
    return Map.of("calls", 100L, "p99Ms", p99);
  }

  @Test
  void spreadIsTheWorstCompleteMinuteOverTheMedianMinute() {
    // the last (partial) minute's 900 ms is left out; median of 10, 12, 30 is 12
    assertEquals(2.5, Soak.spread(List.of(minute(10), minute(30), minute(12), minute(900))), 1e-9);
  }

  @Test
  void aFlatRunHasASpreadOfOne() {
    assertEquals(1.0, Soak.spread(List.of(minute(20), minute(20), minute(20), minute(20))));
  }

  @Test
  void noAnsweredCallsGiveNoSpread() {
    assertEquals(0.0, Soak.spread(List.of(minute(0), minute(0))));
    assertEquals(0.0, Soak.spread(List.of()));
  }
}
