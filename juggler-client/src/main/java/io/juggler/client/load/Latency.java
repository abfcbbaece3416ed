package io.juggler.client.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies recorded from many threads without locks (HdrHistogram {@link Recorder}, microsecond
 * resolution, 3 significant digits): the measured ones for the report, and all of them (warm-up
 * included) for the per-second progress line.
 */
final class Latency {

  private final Recorder measured = new Recorder(3);
  private final Recorder progress = new Recorder(3);
  private Histogram progressRecycle;

  /** Records a latency given in nanoseconds; {@code measured} decides whether it is reported. */
  void record(long nanos, boolean measured) {
    long micros = Math.max(1, nanos / 1000);
    progress.recordValue(micros);
    if (measured) {
      this.measured.recordValue(micros);
    }
  }

  /** Percentiles since the previous call (for progress); called by one thread. */
  Percentiles interval() {
    progressRecycle = progress.getIntervalHistogram(progressRecycle);
    return Percentiles.of(progressRecycle);
  }

  /** Percentiles of everything measured; call once, at the end. */
  Percentiles total() {
    return Percentiles.of(measured.getIntervalHistogram());
  }

  /** Latency summary in milliseconds; all zero when nothing was recorded. */
  record Percentiles(
      long count,
      double min,
      double mean,
      double p50,
      double p90,
      double p99,
      double p999,
      double max) {

    static Percentiles of(Histogram h) {
      if (h.getTotalCount() == 0) {
        return new Percentiles(0, 0, 0, 0, 0, 0, 0, 0);
      }
      return new Percentiles(
          h.getTotalCount(),
          ms(h.getMinValue()),
          h.getMean() / 1000.0,
          ms(h.getValueAtPercentile(50)),
          ms(h.getValueAtPercentile(90)),
          ms(h.getValueAtPercentile(99)),
          ms(h.getValueAtPercentile(99.9)),
          ms(h.getMaxValue()));
    }

    private static double ms(long micros) {
      return micros / 1000.0;
    }
  }
}
