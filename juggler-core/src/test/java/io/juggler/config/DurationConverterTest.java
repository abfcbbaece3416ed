package io.juggler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ServiceLoader;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationConverterTest {

  private final DurationConverter converter = new DurationConverter();

  @Test
  void unitsIsoAndPlainMilliseconds() {
    assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
    assertEquals(Duration.ofSeconds(2), converter.convert(" 2 S "));
    assertEquals(Duration.ofMinutes(1), converter.convert("1m"));
    assertEquals(Duration.ofHours(1), converter.convert("1h"));
    assertEquals(Duration.ofMillis(1500), converter.convert("pt1.5s"));
    assertEquals(Duration.ofMillis(250), converter.convert("250"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "1.5s", "2d", "1s500ms", "99999999999999999999"})
  void anythingElseIsRefused(String value) {
    assertThrows(IllegalArgumentException.class, () -> converter.convert(value));
  }

  @Test
  void isRegisteredWithMicroProfileConfig() {
    assertEquals(
        1,
        ServiceLoader.load(Converter.class).stream()
            .filter(p -> p.type() == DurationConverter.class)
            .count());
  }
}
