package io.juggler.config;

import jakarta.annotation.Priority;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * The duration format of every Juggler EE setting, registered with MicroProfile Config (which has
 * no converter for {@link Duration}): {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h} (a whole
 * number and a unit, case-insensitive, spaces allowed between), ISO-8601 ({@code PT2S}, {@code
 * PT0.5S}) or a plain number of milliseconds. Anything else is refused with {@link
 * IllegalArgumentException}; ranges (no negative values, maximums) are the reader's business.
 */
@Priority(200)
public class DurationConverter implements Converter<Duration> {

  private static final long serialVersionUID = 1L;

  private static final Pattern UNITS = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  @Override
  public Duration convert(String value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = UNITS.matcher(v);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofMillis(n);
        };
      }
      return Duration.parse(v.toUpperCase(Locale.ROOT));
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      throw new IllegalArgumentException("not a duration: '" + value + "'", e);
    }
  }
}
