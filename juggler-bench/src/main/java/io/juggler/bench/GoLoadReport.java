package io.juggler.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text report of the Go reference's {@code juggler-load}: its client statistics and the latency
 * percentiles the benchmark uses. Its {@code Maximum} and {@code Average} lines are not read (the
 * tool overflows them when a call expires).
 *
 * @param actualSeconds {@code Actual Duration}: from the start of the load to its stop
 * @param calls {@code Calls}: CALLs sent
 * @param nacks {@code Nacks}
 * @param results {@code Results}: RES received
 * @param expired {@code Expired}: calls the tool gave up on after its timeout ({@code -t})
 * @param p50Ms {@code Median}, in milliseconds
 * @param p90Ms {@code 90th Percentile}
 * @param p99Ms {@code 99th Percentile}
 */
record GoLoadReport(
    double actualSeconds,
    long calls,
    long nacks,
    long results,
    long expired,
    double p50Ms,
    double p90Ms,
    double p99Ms) {

  /** Completed calls per second of the actual duration. */
  double resultsPerSecond() {
    return actualSeconds > 0 ? results / actualSeconds : 0;
  }

  /**
   * Reads the report printed by {@code juggler-load}.
   *
   * @throws IllegalArgumentException when a line it needs is missing or unreadable
   */
  static GoLoadReport parse(String text) {
    return new GoLoadReport(
        goDurationSeconds(field(text, "Actual Duration")),
        Long.parseLong(field(text, "Calls")),
        Long.parseLong(field(text, "Nacks")),
        Long.parseLong(field(text, "Results")),
        Long.parseLong(field(text, "Expired")),
        goDurationSeconds(field(text, "Median")) * 1000,
        goDurationSeconds(field(text, "90th Percentile")) * 1000,
        goDurationSeconds(field(text, "99th Percentile")) * 1000);
  }

  private static String field(String text, String name) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + ":[ \\t]*(\\S+)[ \\t]*$").matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException("no \"" + name + ":\" line in juggler-load's report");
    }
    return m.group(1);
  }

  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?)(ns|us|µs|μs|ms|s|m|h)");

  /**
   * A duration as Go's {@code time.Duration.String()} writes it ({@code 3.05733047s}, {@code
   * 2.460706ms}, {@code 71.356µs}, {@code 1m2.5s}, {@code 0s}), in seconds.
   */
  static double goDurationSeconds(String text) {
    String s = text.trim();
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = DURATION_PART.matcher(s);
    double seconds = 0;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException("not a Go duration: " + text);
      }
      double v = Double.parseDouble(m.group(1));
      seconds +=
          v
              * switch (m.group(2)) {
                case "ns" -> 1e-9;
                case "us", "µs", "μs" -> 1e-6;
                case "ms" -> 1e-3;
                case "s" -> 1;
                case "m" -> 60;
                default -> 3600;
              };
      at = m.end();
    }
    if (at == 0) {
      throw new IllegalArgumentException("not a Go duration: " + text);
    }
    return negative ? -seconds : seconds;
  }
}
