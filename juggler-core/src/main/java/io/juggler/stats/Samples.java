package io.juggler.stats;

import java.util.Arrays;

/**
 * The most recent values of a measurement (e.g. service times), for a mean and percentiles that
 * follow the current behaviour rather than the whole history. A fixed ring: memory does not grow.
 * Thread-safe.
 */
public final class Samples {

  private final long[] ring;
  private int next;
  private int size;

  public Samples(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    ring = new long[capacity];
  }

  public synchronized void add(long value) {
    ring[next] = value;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  public synchronized int size() {
    return size;
  }

  /** Mean of the recent values, 0 when there are none. */
  public synchronized long mean() {
    if (size == 0) {
      return 0;
    }
    long sum = 0;
    for (int i = 0; i < size; i++) {
      sum += ring[i];
    }
    return Math.round((double) sum / size);
  }

  /**
   * The {@code p}-th percentile (0 &lt; p &le; 100) of the recent values by the nearest-rank
   * method, 0 when there are none.
   */
  public long percentile(double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    long[] copy;
    synchronized (this) {
      copy = Arrays.copyOf(ring, size);
    }
    if (copy.length == 0) {
      return 0;
    }
    Arrays.sort(copy);
    int rank = (int) Math.ceil(p / 100.0 * copy.length);
    return copy[Math.max(0, rank - 1)];
  }
}
