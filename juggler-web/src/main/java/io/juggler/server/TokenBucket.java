package io.juggler.server;

/**
 * A token bucket: up to {@code burst} tokens, refilled at {@code ratePerSecond}; each admitted
 * message takes one. Time comes from the caller ({@link System#nanoTime()}), so it is testable and
 * costs no clock read of its own. Thread-safe (a connection's messages arrive one at a time, but a
 * container may deliver them on different threads).
 */
final class TokenBucket {

  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(int ratePerSecond, int burst, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** Takes one token if there is one; false when the caller is over its rate. */
  synchronized boolean tryTake(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerNano);
      lastNanos = nowNanos;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
