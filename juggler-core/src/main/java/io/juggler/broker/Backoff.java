package io.juggler.broker;

import java.time.Duration;

/**
 * The wait between retries of a loop that lost Redis (pumps, callee workers, the subscription
 * connection, the registry publisher): {@link #FIRST}, doubling on every failure up to {@link
 * #MAX}, back to the first after a success. One per loop; not thread-safe.
 */
public final class Backoff {

  /** The first wait after a failure. */
  public static final Duration FIRST = Duration.ofMillis(100);

  /** The longest wait between two attempts. */
  public static final Duration MAX = Duration.ofSeconds(5);

  private long nextMillis = FIRST.toMillis();

  /** The wait before the next attempt; the one after it is twice as long (at most {@link #MAX}). */
  public long nextMillis() {
    long n = nextMillis;
    nextMillis = Math.min(MAX.toMillis(), n * 2);
    return n;
  }

  /** Waits {@link #nextMillis()}; returns false (interrupt flag set) if interrupted. */
  public boolean sleep() {
    try {
      Thread.sleep(nextMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** After a success: the next failure waits {@link #FIRST} again. */
  public void reset() {
    nextMillis = FIRST.toMillis();
  }
}
