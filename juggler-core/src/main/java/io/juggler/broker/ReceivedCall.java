package io.juggler.broker;

import io.juggler.message.CallPayload;

/**
 * A live call taken from a call list: its payload, the remaining time-to-live read atomically when
 * it was taken, and when that was ({@link System#nanoTime()}).
 */
public record ReceivedCall(CallPayload payload, long ttlMillis, long takenAtNanos) {

  /** Milliseconds left before the caller gives up, at {@code nowNanos}. */
  public long remainingMillis(long nowNanos) {
    return ttlMillis - (nowNanos - takenAtNanos) / 1_000_000;
  }
}
