package io.juggler.broker;

import java.time.Duration;

/**
 * The wait between retries of a loop that lost Redis (pumps, callee workers, the subscription
 * connection, the lease keeper): {@link #FIRST}, doubling on every failure up to {@link #MAX}, back
 * to the first after a success. One per loop; not thread-safe.
 *
 * <p>{@link #MAX} is short on purpose: a loop must be back within a second of Redis returning (the
 * fault suite, {@code docs/faults/}, measured 30 of 250 calls ACKed and never answered in the 5 s
 * after a restart when it was 5 s). A retry costs one failed connection attempt, and each outage is
 * logged once, so a short wait costs little while Redis is away.
 */
public final class Backoff {

  /** The first wait after a failure. */
  public static final Duration FIRST = Duration.ofMillis(100);

  /** The longest wait between two attempts. */
  public static final Duration MAX = Duration.ofMillis(500);

  private long nextMillis = FIRST.toMillis();

  /** The wait before the next attempt; the one after it is twice as long (at most {@link #MAX}). */
  public long nextMillis() {
    long n = nextMillis;
    nextMillis = Math.min(MAX.toMillis(), n * 2);
    return n;
  }

  /** The wait {@link #nextMillis()} would return, without moving on. */
  public long peekMillis() {
    return nextMillis;
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
