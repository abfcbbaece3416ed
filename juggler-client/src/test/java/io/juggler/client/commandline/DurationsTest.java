package io.juggler.client.commandline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "5s, 5000000000",
    "300ms, 300000000",
    "0, 0",
    "-0, 0",
    "1.5s, 1500000000",
    "1m30s, 90000000000",
    "2h45m, 9900000000000",
    "10us, 10000",
    "10µs, 10000",
    "7ns, 7",
    "-1.5h, -5400000000000",
    "+2s, 2000000000",
    ".5s, 500000000",
    "1.s, 1000000000"
  })
  void parsesGoDurations(String text, long nanos) {
    assertEquals(Duration.ofNanos(nanos), Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "s", "1x", "5 s", "1..5s", "-", ".s", "1s5", "abc"})
  void rejectsWhatGoRejects(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(e.getMessage().contains("duration"), e.getMessage());
  }

  @Test
  void formatsLikeGo() {
    assertEquals("5s", Durations.format(Duration.ofSeconds(5)));
    assertEquals("300ms", Durations.format(Duration.ofMillis(300)));
    assertEquals("1.5s", Durations.format(Duration.ofMillis(1500)));
    assertEquals("1m30s", Durations.format(Duration.ofSeconds(90)));
    assertEquals("1h0m0s", Durations.format(Duration.ofHours(1)));
    assertEquals("0s", Durations.format(Duration.ZERO));
    assertEquals("-2ms", Durations.format(Duration.ofMillis(-2)));
  }
}
