package io.juggler.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatTest {

  private final Format f = new Format();

  @Test
  void durationsAreShortAndReadable() {
    assertEquals("850 ms", f.duration(850));
    assertEquals("12.3 s", f.duration(12_300));
    assertEquals("3m 12s", f.duration(192_000));
    assertEquals("2h 5m", f.duration(7_500_000));
    assertEquals("-", f.duration(-1));
  }

  @Test
  void microsAndRates() {
    assertEquals("640 µs", f.micros(640));
    assertEquals("12.5 ms", f.micros(12_500));
    assertEquals("3.5/s", f.rate(3.456));
    assertEquals("-", f.time(0));
    assertEquals("1970-01-01 00:00:01 UTC", f.time(1_000));
  }
}
