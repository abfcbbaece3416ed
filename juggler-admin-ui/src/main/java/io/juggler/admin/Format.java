package io.juggler.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Number and time formats of the console views ({@code #{fmt.ago(ms)}} etc.). */
@Named("fmt")
@ApplicationScoped
public class Format {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** An epoch-milliseconds time as {@code 2026-11-28 13:04:05 UTC}. */
  public String time(long epochMillis) {
    return epochMillis <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  /** How long ago an epoch-milliseconds time was, e.g. {@code 3m 12s}. */
  public String ago(long epochMillis) {
    return epochMillis <= 0 ? "-" : duration(System.currentTimeMillis() - epochMillis);
  }

  /**
   * A duration in milliseconds as {@code 850 ms}, {@code 12.3 s}, {@code 3m 12s}, {@code 2h 5m}.
   */
  public String duration(long millis) {
    if (millis < 0) {
      return "-";
    } else if (millis < 1_000) {
      return millis + " ms";
    } else if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    } else if (millis < 3_600_000) {
      return (millis / 60_000) + "m " + (millis % 60_000) / 1000 + "s";
    }
    return (millis / 3_600_000) + "h " + (millis % 3_600_000) / 60_000 + "m";
  }

  /** Microseconds as {@code 640 µs} or {@code 12.5 ms}. */
  public String micros(long micros) {
    return micros < 1_000 ? micros + " µs" : String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

  /** A rate per second with one decimal. */
  public String rate(double perSecond) {
    return String.format(Locale.ROOT, "%.1f/s", perSecond);
  }
}
