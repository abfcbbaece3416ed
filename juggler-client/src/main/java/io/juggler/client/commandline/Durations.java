package io.juggler.client.commandline;

import java.math.BigDecimal;
import java.time.Duration;

/** Go duration strings ({@code time.ParseDuration}): what the reference tools accept. */
public final class Durations {

  private Durations() {}

  /**
   * Parses a possibly signed sequence of decimal numbers, each with an optional fraction and a
   * unit: {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}. For
   * example {@code 300ms}, {@code -1.5h}, {@code 2h45m}. A lone {@code 0} needs no unit.
   *
   * @throws IllegalArgumentException with a message naming {@code text} when it is not one
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw invalid(text);
    }
    int i = 0;
    boolean negative = false;
    char first = text.charAt(0);
    if (first == '-' || first == '+') {
      negative = first == '-';
      i++;
    }
    if (text.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == text.length()) {
      throw invalid(text);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    while (i < text.length()) {
      int start = i;
      while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
        i++;
      }
      String number = text.substring(start, i);
      if (number.isEmpty()
          || number.equals(".")
          || number.indexOf('.') != number.lastIndexOf('.')) {
        throw invalid(text);
      }
      int unitStart = i;
      while (i < text.length() && !Character.isDigit(text.charAt(i)) && text.charAt(i) != '.') {
        i++;
      }
      long unit = unitNanos(text.substring(unitStart, i), text);
      nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
    }
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("duration out of range: " + text);
    }
    long n = nanos.longValue();
    return Duration.ofNanos(negative ? -n : n);
  }

  private static long unitNanos(String unit, String text) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      case "" -> throw new IllegalArgumentException("missing unit in duration \"" + text + "\"");
      default ->
          throw new IllegalArgumentException(
              "unknown unit \"" + unit + "\" in duration \"" + text + "\"");
    };
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "invalid duration \"" + text + "\" (expected e.g. 5s, 300ms, 1m30s)");
  }

  /** Formats like Go's {@code Duration.String()} for whole units: {@code 1.5s}, {@code 300ms}. */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    long abs = Math.abs(nanos);
    if (abs < 1_000L) {
      return sign + abs + "ns";
    } else if (abs < 1_000_000L) {
      return sign + trim(BigDecimal.valueOf(abs, 3)) + "µs";
    } else if (abs < 1_000_000_000L) {
      return sign + trim(BigDecimal.valueOf(abs, 6)) + "ms";
    }
    long seconds = abs / 1_000_000_000L;
    BigDecimal fraction = BigDecimal.valueOf(abs % 1_000_000_000L, 9);
    StringBuilder sb = new StringBuilder(sign);
    if (seconds >= 3600) {
      sb.append(seconds / 3600).append('h');
    }
    if (seconds >= 60) {
      sb.append(seconds / 60 % 60).append('m');
    }
    sb.append(trim(BigDecimal.valueOf(seconds % 60).add(fraction))).append('s');
    return sb.toString();
  }

  private static String trim(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
  }
}
