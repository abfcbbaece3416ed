package io.juggler.broker;

import io.juggler.message.CallPayload;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Resumable sessions in Redis (issue 23): what lets a client that reconnects, to any server, get
 * the results of the calls it made before its connection dropped.
 *
 * <p>A session is a record with the hash of its token's secret, the identity that opened it and its
 * owner (the connection attached to it now). Each call of a session is bound to it on the results
 * shard of the server that queued it; whoever takes the result learns the session from the binding
 * and delivers it to the session's connection, parks it for the session while it is away, or
 * forwards it to the server it is attached to now. A server that dies leaves bound results on its
 * shards: live servers adopt them once its shards stop beating. Thread-safe; every method throws
 * {@link BrokerUnavailableException} when Redis cannot be reached and {@link BrokerException} for
 * any other Redis failure.
 */
public interface SessionBroker {

  /**
   * Creates session {@code id}, attached to {@code owner} whose results come to {@code shard},
   * living {@code window} unrefreshed.
   */
  void create(
      String id, String secretHash, String identity, String owner, String shard, Duration window);

  /**
   * Attaches {@code owner} to session {@code id} if the secret and identity match, and hands over
   * the results sent to its last connection lately and those parked for it, which stay remembered
   * (at most {@code max}) as delivered to {@code owner}.
   */
  Attach attach(
      String id,
      String secretHash,
      String identity,
      String owner,
      String shard,
      Duration window,
      int max);

  /** Detaches {@code owner} (if it is still the owner); the session then lives {@code window}. */
  void detach(String id, String owner, Duration window);

  /** Keeps attached sessions alive for another {@code window}. */
  void refresh(Collection<String> ids, Duration window);

  /**
   * Binds call {@code callUuid} of {@code uri}, whose result comes to {@code shard}, to session
   * {@code id}.
   */
  void bind(String shard, String callUuid, String id, String uri, long ttlMillis);

  /**
   * The shard and URI of a pending call of session {@code id} (made on any of its connections, on
   * any server), from its binding; empty when the session has no such call pending.
   */
  Optional<CallRef> findCall(String id, String callUuid);

  /** Where a pending call of a session is: the shard its result comes to, and its URI. */
  record CallRef(String shard, String uri) {}

  /** Undoes {@link #bind} (the call could not be queued). */
  void unbind(String shard, String callUuid);

  /**
   * Parks {@code result} (live for {@code ttlMillis} more) for session {@code id}, or says where
   * the session is attached. {@code goneOwner} is an owner the caller knows to be closed (it is
   * cleared rather than returned), or null.
   */
  Park park(String id, CallPayload result, long ttlMillis, int max, String goneOwner);

  /**
   * {@code result} is about to be sent on {@code owner}, the connection of session {@code id}: it
   * is remembered for {@code remember} (at most {@code max} results), to be sent again if the
   * client resumes (the connection may die with it unread). Returns {@link Park.Kind#KEPT} (send
   * it); or, when the session has moved on, where to forward it, or that it was parked. With {@code
   * reclaim} (the caller knows {@code owner} to be open and attached), a session without an owner
   * is given back to {@code owner} rather than the result parked.
   */
  Park delivered(
      String id,
      String owner,
      CallPayload result,
      long ttlMillis,
      int max,
      Duration remember,
      boolean reclaim);

  /**
   * A session-bound result taken from {@code shard}'s results list is settled: delivered and
   * remembered, parked, forwarded or dropped. Until then Redis holds it, and whoever adopts the
   * shard of a server that died first routes it again ({@link #adopt}).
   */
  void settled(String shard, String callUuid);

  /** Queues {@code result} on {@code shard}'s results list, bound to session {@code id}. */
  void forward(String shard, String id, CallPayload result, long ttlMillis);

  /** Scores this server's result shards as alive. */
  void beat(Collection<String> shards);

  /** Marks this server's shards as given up (a stopping server): adopted at once. */
  void release(Collection<String> shards);

  /** Shards whose owner has not beaten for {@code silence}. */
  List<String> deadShards(Duration silence);

  /**
   * Takes up to {@code max} session-bound results from a dead shard: those still queued, then those
   * its server took and had not {@link #settled} (they may have reached the client already: a
   * client ignores a RES it has had). Returns null when it has no bindings or held results left;
   * the shard is then forgotten (if still dead).
   */
  List<TakenResult> adopt(String shard, int max, Duration silence);

  /** The outcome of {@link #attach}. */
  record Attach(Outcome outcome, String previousOwner, List<Parked> parked) {

    /** What became of a presented token. */
    public enum Outcome {
      RESUMED,
      /** no such session: never made, or its window passed */
      EXPIRED,
      /** the secret does not match */
      INVALID,
      /** opened by another identity */
      FOREIGN
    }

    public static Attach refused(Outcome outcome) {
      return new Attach(outcome, "", List.of());
    }
  }

  /** A result parked for a session, with how long it has left when handed over. */
  record Parked(CallPayload result, long ttlMillis) {}

  /** The outcome of {@link #park}: parked, or the session's owner to forward to. */
  record Park(Kind kind, String owner) {
    public enum Kind {
      PARKED,
      /** attached to {@link #owner} */
      FORWARD,
      /** the session no longer exists: the result is dropped */
      GONE,
      /** as many results are parked as the session may have pending calls */
      FULL,
      /** remembered as delivered to the session's connection ({@link #delivered}) */
      KEPT
    }
  }
}
