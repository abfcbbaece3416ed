package io.juggler.server;

import io.juggler.auth.Identity;
import io.juggler.broker.Backoff;
import io.juggler.broker.BrokerException;
import io.juggler.broker.CallerBroker;
import io.juggler.broker.Outage;
import io.juggler.broker.TakenResult;
import io.juggler.message.Ack;
import io.juggler.message.Call;
import io.juggler.message.CallPayload;
import io.juggler.message.Caller;
import io.juggler.message.Message;
import io.juggler.message.MessageType;
import io.juggler.message.Res;
import io.juggler.message.Uuids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings call results from Redis to connections with a fixed number of blocking pops (spec 14.1).
 *
 * <p>The server owns {@code juggler.server.result-shards} random result ids; each connection is
 * assigned one, and its CALLs carry that id as {@code conn_uuid}, so callees (ours or the
 * reference's) push results on {@code juggler:results:{shard id}} with the key layout unchanged.
 * One pump per shard pops that list and routes each result by its CALL uuid to the connection
 * waiting for it. A result whose connection has gone, or whose call this server no longer waits
 * for, is dropped and counted; pending entries past their deadline are swept.
 *
 * <p><b>ACK before RES.</b> A result may arrive before the CALL's ACK is queued; it is then held in
 * the pending entry and sent right after the ACK.
 *
 * <p><b>State.</b> The router owns everything about pending calls: per shard, CALL uuid to {@link
 * Pending}; per connection, the uuids it waits for ({@link #pendingCount(Connection)}, and what
 * {@link #forget} clears when it closes). Thread-safe.
 */
final class ResultRouter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ResultRouter.class.getName());

  /** What is known about a call this server waits a result for. Guarded by itself. */
  static final class Pending {
    final Connection connection;
    final String uri;
    final long deadlineNanos;
    final long startNanos = System.nanoTime();
    boolean acked;
    TakenResult early;

    /** Its connection closed: a result that comes now is not kept for the ACK. */
    boolean forgotten;

    Pending(Connection connection, String uri, long deadlineNanos) {
      this.connection = connection;
      this.uri = uri;
      this.deadlineNanos = deadlineNanos;
    }
  }

  /** Outcome of {@link #register}. */
  enum Registration {
    QUEUED,
    DUPLICATE
  }

  private final CallerBroker broker;
  private final ServerCounters metrics;
  private final Duration blockingTimeout;
  private final String[] shards;
  private final List<Map<String, Pending>> pending = new ArrayList<>();
  private final Map<Connection, Set<String>> byConnection = new ConcurrentHashMap<>();
  private final List<Thread> pumps = new ArrayList<>();
  private volatile boolean closed;
  private final Outage outage = new Outage("results");
  private volatile Sessions sessions;

  /** Results taken per round trip when they queue up (one blocking pop, then one script). */
  private static final int BATCH = 64;

  ResultRouter(
      CallerBroker broker,
      ServerCounters metrics,
      int shardCount,
      Duration blockingTimeout,
      ThreadFactory threads) {
    this.broker = broker;
    this.metrics = metrics;
    this.blockingTimeout = blockingTimeout;
    this.shards = new String[shardCount];
    for (int i = 0; i < shardCount; i++) {
      shards[i] = Uuids.random();
      pending.add(new ConcurrentHashMap<>());
    }
    for (int i = 0; i < shardCount; i++) {
      int shard = i;
      Thread t = threads.newThread(() -> pump(shard));
      t.setName("juggler-results-" + i);
      pumps.add(t);
      t.start();
    }
  }

  private int shardOf(Connection c) {
    return Math.floorMod(c.id().hashCode(), shards.length);
  }

  /** The id of the shard {@code c}'s results come to ({@code conn_uuid} of its calls). */
  String shardIdOf(Connection c) {
    return shards[shardOf(c)];
  }

  /** This server's result shards. */
  List<String> shards() {
    return List.of(shards);
  }

  /** Routes results bound to resumable sessions that no call here waits for through {@code s}. */
  void sessions(Sessions s) {
    this.sessions = s;
  }

  /**
   * Registers a CALL and queues it in Redis. Returns {@link Registration#DUPLICATE} without
   * queueing when this connection's shard already waits for a call with the same uuid.
   *
   * @throws BrokerException if Redis refused or failed; nothing stays pending
   */
  Registration register(Connection c, Call call, long ttlMillis) {
    int shard = shardOf(c);
    Pending p = new Pending(c, call.uri(), System.nanoTime() + ttlMillis * 1_000_000);
    if (pending.get(shard).putIfAbsent(call.uuid(), p) != null) {
      return Registration.DUPLICATE;
    }
    byConnection.computeIfAbsent(c, k -> ConcurrentHashMap.newKeySet()).add(call.uuid());
    Sessions s = c.sessionId() == null ? null : sessions;
    try {
      if (s != null) {
        // bound before it is queued: the result may come back at once, or to another server
        s.bind(c, shards[shard], call.uuid(), call.uri(), ttlMillis);
      }
      broker.call(
          new CallPayload(shards[shard], call.uuid(), call.uri(), call.args(), caller(c)),
          ttlMillis);
    } catch (RuntimeException e) {
      pending.get(shard).remove(call.uuid(), p);
      removeFromConnection(c, call.uuid());
      if (s != null) {
        s.unbind(shards[shard], call.uuid());
      }
      throw e;
    }
    if (c.isClosing()) {
      forget(c); // closed meanwhile: its forget may have run before this call was added
    }
    return Registration.QUEUED;
  }

  /** Sends the ACK of a queued CALL, then any result that arrived before it. */
  void acknowledge(Connection c, Call call) {
    Pending p = pending.get(shardOf(c)).get(call.uuid());
    Message ack = Ack.of(call);
    if (p == null) {
      c.send(ack); // the result was delivered already (cannot happen before acked) or swept
      return;
    }
    TakenResult early;
    synchronized (p) {
      c.send(ack);
      p.acked = true;
      early = p.early;
      p.early = null;
    }
    if (early != null && deliver(c, p, early)) {
      Sessions s = sessions;
      if (s != null) {
        s.settle(early); // off the pump: released at once
      }
    }
  }

  /**
   * Forgets every call of a closing connection; their results will be dropped, or kept for its
   * session ({@link Sessions}).
   */
  void forget(Connection c) {
    Set<String> uuids = byConnection.remove(c);
    if (uuids == null) {
      return;
    }
    Map<String, Pending> map = pending.get(shardOf(c));
    for (String uuid : uuids) {
      Pending p = map.get(uuid);
      if (p != null && p.connection == c && map.remove(uuid, p)) {
        if (c.sessionId() == null) {
          metrics.abandonedCall(p.uri, uuid);
          continue;
        }
        // a session's result waits for its client in Redis; one that came before its ACK went
        // out is routed like any result of a gone connection
        TakenResult early;
        synchronized (p) {
          p.forgotten = true;
          early = p.early;
          p.early = null;
        }
        Sessions s = sessions;
        if (early != null && early.session() != null && s != null && s.route(early)) {
          s.settle(early);
        }
      }
    }
  }

  /** A cancelled call: its URI, and {@code queued} or {@code running}. */
  record Cancelled(String uri, String stage) {}

  /**
   * Cancels the pending call {@code callUuid} of {@code c}, or of {@code c}'s session (made on an
   * earlier connection, on any server): a queued call is removed before any callee takes it, a
   * taken one is announced to the callees; its result, if one still comes, is dropped.
   *
   * @return null when neither {@code c} nor its session has such a call pending
   * @throws io.juggler.broker.BrokerException if Redis failed
   */
  Cancelled cancel(Connection c, String callUuid) {
    int shard = shardOf(c);
    String shardId = shards[shard];
    Pending p = pending.get(shard).get(callUuid);
    Sessions s = c.sessionId() == null ? null : sessions;
    String uri;
    if (p != null && p.connection == c) {
      if (!pending.get(shard).remove(callUuid, p)) {
        return null; // its result was delivered meanwhile
      }
      removeFromConnection(c, callUuid);
      uri = p.uri;
    } else if (s != null) {
      var ref = s.findCall(c, callUuid);
      if (ref.isEmpty()) {
        return null;
      }
      uri = ref.get().uri();
      shardId = ref.get().shard();
    } else {
      return null;
    }
    if (s != null) {
      s.unbind(shardId, callUuid); // a result that still comes is not the session's any more
    }
    return new Cancelled(uri, broker.cancel(uri, callUuid) ? "queued" : "running");
  }

  /** Calls {@code c} waits a result for. */
  int pendingCount(Connection c) {
    Set<String> uuids = byConnection.get(c);
    return uuids == null ? 0 : uuids.size();
  }

  private void removeFromConnection(Connection c, String uuid) {
    byConnection.computeIfPresent(
        c,
        (k, uuids) -> {
          uuids.remove(uuid);
          return uuids.isEmpty() ? null : uuids;
        });
  }

  private void pump(int shard) {
    Map<String, Pending> map = pending.get(shard);
    String shardId = shards[shard];
    Backoff backoff = new Backoff();
    long lastSweep = System.nanoTime();
    // held results this pump has settled: released by its next take, no round trip of their own
    List<String> settled = new ArrayList<>();
    while (!closed) {
      List<TakenResult> results;
      try {
        results = broker.takeBoundResults(shardId, blockingTimeout, BATCH, settled);
        settled.clear();
        outage.recovered();
        backoff.reset();
      } catch (BrokerException e) {
        if (closed) {
          return;
        }
        outage.failed(e);
        backoff.sleep();
        continue;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, e, () -> "results pump " + shard + " failed; continuing");
        continue;
      }
      for (TakenResult r : results) {
        if (route(map, r) && r.held()) {
          settled.add(r.result().msgUuid());
        }
      }
      long now = System.nanoTime();
      if (now - lastSweep > 1_000_000_000L) {
        lastSweep = now;
        sweep(map, now);
      }
    }
  }

  /**
   * Routes a taken result. Returns whether it is settled (Redis may stop holding it): false while
   * it waits for its call's ACK, or when Redis failed.
   */
  private boolean route(Map<String, Pending> map, TakenResult taken) {
    CallPayload r = taken.result();
    Pending p = map.get(r.msgUuid());
    if (p == null) {
      Sessions s = sessions;
      if (taken.session() != null && s != null) {
        // its connection closed, or it was made on (or forwarded from) another server
        return s.route(taken);
      }
      metrics.orphanResult();
      LOG.log(Level.FINE, "msg={0} result for no waiting call dropped", r.msgUuid());
      return false;
    }
    synchronized (p) {
      if (!p.acked && !p.forgotten) {
        p.early = taken; // acknowledge() sends it right after the ACK, and settles it
        return false;
      }
    }
    return deliver(p.connection, p, taken);
  }

  /** Delivers {@code taken} to its waiting call; returns whether it is settled (see route). */
  private boolean deliver(Connection c, Pending p, TakenResult taken) {
    CallPayload r = taken.result();
    pending.get(shardOf(c)).remove(r.msgUuid(), p);
    removeFromConnection(c, r.msgUuid());
    Sessions s = taken.session() == null ? null : sessions;
    if (!c.isOpen()) {
      if (s != null) {
        return s.route(taken);
      }
      metrics.orphanResult();
      return false;
    }
    boolean settled = false;
    if (s != null) {
      settled = s.deliver(c, taken); // remembered first: sent again if c dies with it unread
    } else {
      c.send(new Res(Uuids.random(), r.msgUuid(), r.uri(), r.args()));
      metrics.sent(MessageType.RES);
    }
    metrics.result(p.uri, System.nanoTime() - p.startNanos);
    return settled;
  }

  private void sweep(Map<String, Pending> map, long now) {
    map.entrySet()
        .removeIf(
            e -> {
              Pending p = e.getValue();
              if (now - p.deadlineNanos > 0) {
                removeFromConnection(p.connection, e.getKey());
                metrics.unansweredCall(p.uri, e.getKey());
                return true;
              }
              return false;
            });
  }

  int pendingCount() {
    return pending.stream().mapToInt(Map::size).sum();
  }

  boolean pumpsAlive() {
    return pumps.stream().allMatch(Thread::isAlive);
  }

  boolean isHealthy() {
    return !outage.isDown() && pumps.stream().allMatch(Thread::isAlive);
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : pumps) {
      try {
        t.join(blockingTimeout.toMillis() + 2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Who made a call of {@code c}, for its callee; none for an anonymous client. */
  static Caller caller(Connection c) {
    Identity id = c.identity();
    return id.isAuthenticated() ? new Caller(id.name(), List.copyOf(id.roles()), c.id()) : null;
  }
}
