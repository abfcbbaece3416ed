package io.juggler.broker;

import io.juggler.message.CallPayload;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The callee's side of RPC: take calls, store results. Thread-safe. Failures are reported as in
 * {@link CallerBroker}.
 */
public interface CalleeBroker {

  /**
   * Blocks up to {@code timeout} for the oldest call on the lists of {@code uris} (in a cluster
   * they must share a hash slot) and returns it if still live; its expiry key is deleted, so no
   * other callee can run it. Expired and invalid calls are dropped and counted, and then an empty
   * optional is returned.
   */
  Optional<ReceivedCall> takeCall(List<String> uris, Duration timeout);

  /**
   * Like {@link #takeCall} without blocking, in one round trip: returns the oldest live call of
   * {@code uris} if one is waiting. A busy worker polls before it blocks.
   */
  Optional<ReceivedCall> pollCall(List<String> uris);

  /**
   * Stores {@code result} on the results list of its {@code connUuid}, living {@code ttlMillis} (at
   * least 1).
   *
   * @throws CapacityExceededException if the results list is full; the result is lost
   */
  void storeResult(CallPayload result, long ttlMillis);
}
