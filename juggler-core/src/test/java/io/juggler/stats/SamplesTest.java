package io.juggler.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SamplesTest {

  @Test
  void emptySamplesReportZero() {
    Samples s = new Samples(4);
    assertEquals(0, s.mean());
    assertEquals(0, s.percentile(99));
  }

  @Test
  void meanAndNearestRankPercentiles() {
    Samples s = new Samples(100);
    for (int i = 1; i <= 100; i++) {
      s.add(i);
    }
    assertEquals(51, s.mean()); // 50.5 rounded
    assertEquals(99, s.percentile(99));
    assertEquals(50, s.percentile(50));
    assertEquals(100, s.percentile(100));
    assertEquals(1, s.percentile(0.5));
  }

  @Test
  void onlyTheMostRecentValuesCount() {
    Samples s = new Samples(3);
    s.add(1_000);
    s.add(1);
    s.add(2);
    s.add(3); // pushes 1000 out
    assertEquals(3, s.size());
    assertEquals(2, s.mean());
    assertEquals(3, s.percentile(99));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Samples(0));
    assertThrows(IllegalArgumentException.class, () -> new Samples(2).percentile(0));
    assertThrows(IllegalArgumentException.class, () -> new Samples(2).percentile(101));
  }
}
