package io.juggler.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Latency percentiles in milliseconds from a histogram recorded in microseconds. */
final class Percentiles {

  private Percentiles() {}

  static Map<String, Object> of(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50Ms", ms(h.getValueAtPercentile(50)));
    m.put("p90Ms", ms(h.getValueAtPercentile(90)));
    m.put("p99Ms", ms(h.getValueAtPercentile(99)));
    m.put("p999Ms", ms(h.getValueAtPercentile(99.9)));
    m.put("maxMs", ms(h.getMaxValue()));
    return m;
  }

  private static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
