package io.juggler.broker;

import io.juggler.message.CallPayload;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The server's side of RPC: queue calls, read results. Thread-safe.
 *
 * <p>Every method throws {@link BrokerUnavailableException} when Redis cannot be reached and {@link
 * BrokerException} for any other Redis failure.
 */
public interface CallerBroker {

  /**
   * Queues {@code call} on the list of its URI with an expiry key living {@code ttlMillis} (spec
   * section 6.3).
   *
   * @throws CapacityExceededException if the URI's call list is full; nothing stays queued
   * @throws DuplicateCallException if a call with the same uuid and URI is pending (queued by any
   *     connection, on any server); nothing is queued
   */
  void call(CallPayload call, long ttlMillis);

  /**
   * Blocks up to {@code timeout} for the next result on {@code juggler:results:{connUuid}} and
   * returns it if it is still live. Expired and invalid results are dropped and counted, and then
   * an empty optional is returned.
   */
  Optional<CallPayload> takeResult(String connUuid, Duration timeout);

  /**
   * Like {@link #takeResult}, but once a result has arrived also takes up to {@code max - 1} more
   * that are already waiting, in the same round trip: the pumps' way to keep up under load. Returns
   * the live ones (possibly none, when all were expired or invalid).
   */
  List<CallPayload> takeResults(String connUuid, Duration timeout, int max);

  /**
   * {@link #takeResults} with each result's time left and its session binding ({@link
   * SessionBroker}): the server's pumps route by both.
   */
  List<TakenResult> takeBoundResults(String connUuid, Duration timeout, int max);

  /**
   * {@link #takeBoundResults}, first releasing the held results of this shard that the server has
   * settled since its last take ({@link SessionBroker#settled}, without a round trip of its own).
   * Once this returns, {@code settled} are released; if it throws, they are not (pass them again).
   */
  List<TakenResult> takeBoundResults(
      String connUuid, Duration timeout, int max, Collection<String> settled);

  /**
   * Cancels the queued call {@code msgUuid} of {@code uri} (issue 23): no callee will run it.
   *
   * @return true if it was still queued; false if a callee took it already (or it is not pending)
   */
  boolean cancel(String uri, String msgUuid);

  /** Calls waiting on the list of {@code uri} (its length; 0 when there is none). */
  long queueDepth(String uri);
}
