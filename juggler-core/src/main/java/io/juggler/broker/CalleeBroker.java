package io.juggler.broker;

import io.juggler.message.CallPayload;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;

/**
 * The callee's side of RPC: take calls, store results. Thread-safe. Failures are reported as in
 * {@link CallerBroker}.
 */
public interface CalleeBroker {

  /**
   * {@code uris} in the groups one {@link #takeCall} may name together, each in the order given: on
   * a Redis Cluster the URIs whose call lists share a hash slot (spec 6.8), otherwise all of them
   * in one group.
   */
  List<List<String>> slotGroups(Collection<String> uris);

  /**
   * Blocks up to {@code timeout} for the oldest call on the lists of {@code uris} (in a cluster
   * they must share a hash slot) and returns it if still live; its expiry key is deleted, so no
   * other callee can run it. Expired and invalid calls are dropped and counted, and then an empty
   * optional is returned.
   */
  Optional<ReceivedCall> takeCall(List<String> uris, Duration timeout);

  /**
   * Listens for cancels of calls that callees may be running (issue 23): {@code onCancel} gets the
   * URI and uuid of each, on a thread from {@code threads}, until the returned handle is closed.
   * Notices come over the pub-sub Redis and are not stored: a callee that is not listening when a
   * cancel is published runs the call to its end, and the server drops its result.
   */
  AutoCloseable openCancelListener(BiConsumer<String, String> onCancel, ThreadFactory threads);

  /**
   * Like {@link #takeCall} without blocking, in one round trip: returns the oldest live call of
   * {@code uris} if one is waiting. A worker polls while calls wait behind the last one it took
   * ({@link ReceivedCall#moreWaiting()}), and blocks otherwise.
   */
  Optional<ReceivedCall> pollCall(List<String> uris);

  /**
   * Stores {@code result} on the results list of its {@code connUuid}, living {@code ttlMillis} (at
   * least 1).
   *
   * @throws CapacityExceededException if the results list is full; the result is lost
   */
  void storeResult(CallPayload result, long ttlMillis);

  // ------------------------------------------------------------------ at-least-once calls

  /**
   * At-least-once: takes the next call of {@code uri} into the processing list of {@code owner}
   * (one callee worker), renewing the owner's lease of {@code lease}. A call already in that list
   * (left by an attempt whose reply was lost) is taken first; otherwise the oldest queued call is
   * moved, blocking up to {@code timeout} for one. The call's expiry key is kept: the call stays
   * the owner's until {@link #finishCall}, and goes back to the queue if the owner's lease expires
   * first ({@link #reap}). Returns empty when nothing came, or when what came had expired or was
   * invalid (dropped and counted).
   */
  Optional<ReceivedCall> claimCall(String uri, String owner, Duration lease, Duration timeout);

  /**
   * At-least-once: the call is done (its result stored, or its time over): removes it from the
   * owner's processing list and deletes its expiry key.
   */
  void finishCall(ReceivedCall call, String owner);

  /**
   * At-least-once: renews the leases of {@code owners} (this instance's workers on {@code uri}) and
   * returns the other owners of {@code uri} whose lease has expired.
   */
  List<String> renewLeases(String uri, List<String> owners, Duration lease);

  /**
   * At-least-once: returns the calls of {@code owner}, whose lease has expired (or, with {@code
   * force}, which is stopping), to the queue of {@code uri} while their time remains; drops the
   * others and forgets the owner. Does nothing if the owner renewed its lease meanwhile.
   *
   * @return calls put back in the queue (-1 when the lease was live)
   */
  long reap(String uri, String owner, boolean force);
}
