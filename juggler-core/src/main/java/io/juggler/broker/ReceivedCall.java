package io.juggler.broker;

import io.juggler.message.CallPayload;

/**
 * A live call taken from a call list: its payload, the remaining time-to-live read atomically when
 * it was taken, and when that was ({@link System#nanoTime()}).
 *
 * @param attempt how often the call has been handed to a function, this time included: always 1 for
 *     an at-most-once call, 2 or more for an at-least-once call that was delivered again
 * @param raw the payload exactly as stored in Redis, for an at-least-once call (its processing list
 *     entry is removed by value); null otherwise
 * @param moreWaiting whether the list(s) it came from still held calls when it was taken: a worker
 *     then takes the next one without blocking ({@code pollCall}), else it waits ({@code takeCall})
 */
public record ReceivedCall(
    CallPayload payload,
    long ttlMillis,
    long takenAtNanos,
    int attempt,
    String raw,
    boolean moreWaiting) {

  /** An at-most-once call. */
  public ReceivedCall(CallPayload payload, long ttlMillis, long takenAtNanos) {
    this(payload, ttlMillis, takenAtNanos, 1, null, false);
  }

  /** A call of either kind, with nothing known of what waits behind it. */
  public ReceivedCall(
      CallPayload payload, long ttlMillis, long takenAtNanos, int attempt, String raw) {
    this(payload, ttlMillis, takenAtNanos, attempt, raw, false);
  }

  /** Milliseconds left before the caller gives up, at {@code nowNanos}. */
  public long remainingMillis(long nowNanos) {
    return ttlMillis - (nowNanos - takenAtNanos) / 1_000_000;
  }

  /** Whether this call was claimed at least once (it must be finished with {@code ack}). */
  public boolean atLeastOnce() {
    return raw != null;
  }
}
