package io.juggler.server;

import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.EventListener;
import io.juggler.broker.EventSubscriber;
import io.juggler.broker.PubSubBroker;
import io.juggler.message.Evnt;
import io.juggler.message.JsonCodec;
import io.juggler.message.MessageType;
import io.juggler.message.Protocol;
import io.juggler.message.PubPayload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fans events out from the server's one Redis subscription to local connections (spec 14.1): an
 * index from channel or pattern to the connections subscribed to it. A SUB is acknowledged only
 * once Redis has confirmed the subscription (spec 14.10). Delivery only queues on each connection,
 * so a slow subscriber never delays the others. Thread-safe.
 *
 * <p>The Redis reader encodes each event once and hands it to a few lanes (threads, {@code
 * juggler.server.event-threads}); each connection belongs to one lane, so its events keep Redis's
 * order while a large fan-out is written by several threads. A lane's queue is bounded: when the
 * lanes fall behind, the Redis reader waits (and Redis buffers) instead of memory growing here.
 *
 * <p><b>State.</b> The router owns everything about subscriptions: the index from name to
 * connections, and per connection the names it subscribed to ({@link #subscriptionCount}, and what
 * {@link #forget} ends when it closes).
 */
final class EventRouter implements EventListener, AutoCloseable {

  /** A channel name, or a pattern when {@code pattern} is true. */
  record Name(String name, boolean pattern) {}

  private static final Logger LOG = Logger.getLogger(EventRouter.class.getName());

  private final Map<Name, Set<Connection>> index = new ConcurrentHashMap<>();
  private final Map<Connection, Set<Name>> byConnection = new ConcurrentHashMap<>();

  /** Live events held back while a connection's missed events of a channel are replayed. */
  private final Map<Held, Holding> holding = new ConcurrentHashMap<>();

  /** Whose live events of which subscription are held. */
  private record Held(Connection connection, Name name) {}

  /**
   * The live events of one subscription of one connection that arrived during its replay (issue
   * 23): held until {@link #release}, at most {@code limit} of them (more close the connection:
   * holding them all would let a busy channel grow memory without bound).
   */
  static final class Holding {
    private final Connection connection;
    private final Held key;
    private final int limit;
    private final List<Delivery> held = new ArrayList<>();
    private boolean released;

    private Holding(Connection connection, Held key, int limit) {
      this.connection = connection;
      this.key = key;
      this.limit = limit;
    }

    /** Keeps {@code d} if the replay still runs; false once released (deliver it now). */
    private synchronized boolean hold(Delivery d) {
      if (released) {
        return false;
      }
      if (held.size() >= limit) {
        released = true;
        held.clear();
        connection.close(
            Protocol.CLOSE_POLICY_VIOLATION,
            "slow reader: more than " + limit + " events arrived during the history replay");
        return true;
      }
      held.add(d);
      return true;
    }
  }

  private final ServerCounters metrics;
  private final Duration confirmTimeout;
  private final EventSubscriber subscriber;
  private final Lane[] lanes;

  EventRouter(
      PubSubBroker broker,
      ServerCounters metrics,
      Duration confirmTimeout,
      ThreadFactory threads,
      int laneCount) {
    this.metrics = metrics;
    this.confirmTimeout = confirmTimeout;
    this.lanes = new Lane[laneCount];
    for (int i = 0; i < laneCount; i++) {
      lanes[i] = new Lane(i, threads);
    }
    this.subscriber = broker.openSubscriber(this, threads);
  }

  /**
   * Subscribes {@code c} to {@code name}; returns once Redis has confirmed it. Subscribing twice is
   * harmless.
   *
   * @throws BrokerUnavailableException if Redis is unreachable or did not confirm in time
   */
  void subscribe(Connection c, String name, boolean pattern) {
    Name n = new Name(name, pattern);
    if (namesOf(c).contains(n)) {
      return;
    }
    try {
      subscriber.subscribe(name, pattern).get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new BrokerUnavailableException("redis unavailable: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      subscriber.unsubscribe(name, pattern);
      throw new BrokerUnavailableException("redis unavailable: subscription not confirmed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      subscriber.unsubscribe(name, pattern);
      throw new BrokerUnavailableException("interrupted", e);
    }
    if (byConnection.computeIfAbsent(c, k -> ConcurrentHashMap.newKeySet()).add(n)) {
      index.computeIfAbsent(n, k -> ConcurrentHashMap.newKeySet()).add(c);
    } else {
      subscriber.unsubscribe(name, pattern); // a concurrent SUB of the same name won
    }
    if (c.isClosing()) {
      // closed while Redis confirmed: its forget may have run before the add above, and would
      // leave this subscription behind for good (a closing connection is marked before it is
      // forgotten, so one of the two forgets sees it)
      forget(c);
    }
  }

  /** Ends {@code c}'s subscription to {@code name}, if any. */
  void unsubscribe(Connection c, String name, boolean pattern) {
    Name n = new Name(name, pattern);
    if (namesOf(c).remove(n)) {
      removeFromIndex(c, n);
      subscriber.unsubscribe(name, pattern);
    }
  }

  /** Ends every subscription of a closing connection. */
  void forget(Connection c) {
    if (!holding.isEmpty()) {
      holding.keySet().removeIf(k -> k.connection() == c);
    }
    Set<Name> names = byConnection.remove(c);
    if (names == null) {
      return;
    }
    for (Name n : names) {
      if (names.remove(n)) {
        removeFromIndex(c, n);
        subscriber.unsubscribe(n.name(), n.pattern());
      }
    }
  }

  /** Whether {@code c} is subscribed to {@code name}. */
  boolean isSubscribed(Connection c, String name, boolean pattern) {
    return namesOf(c).contains(new Name(name, pattern));
  }

  /** Channels and patterns {@code c} is subscribed to. */
  int subscriptionCount(Connection c) {
    return namesOf(c).size();
  }

  /** Patterns {@code c} is subscribed to. */
  int patternCount(Connection c) {
    int n = 0;
    for (Name name : namesOf(c)) {
      if (name.pattern()) {
        n++;
      }
    }
    return n;
  }

  private Set<Name> namesOf(Connection c) {
    Set<Name> names = byConnection.get(c);
    return names == null ? Collections.emptySet() : names;
  }

  private void removeFromIndex(Connection c, Name n) {
    index.computeIfPresent(
        n,
        (k, set) -> {
          set.remove(c);
          return set.isEmpty() ? null : set;
        });
  }

  @Override
  public void onEvent(String channel, String pattern, PubPayload payload) {
    Set<Connection> targets =
        index.get(new Name(pattern == null ? channel : pattern, pattern != null));
    if (targets == null || payload.forNobody()) {
      return; // a notice for callees (a cancel), never for clients
    }
    // encoded once; each copy only gets its own meta.uuid
    Delivery d =
        new Delivery(
            JsonCodec.encodeTail(
                new Evnt(
                    "",
                    payload.msgUuid(),
                    channel,
                    pattern,
                    payload.args(),
                    payload.offset(),
                    payload.epoch())),
            targets,
            payload.exceptConn(),
            new Name(pattern == null ? channel : pattern, pattern != null),
            payload.offset());
    for (Lane lane : lanes) {
      lane.offer(d);
    }
  }

  /**
   * One event for the connections of {@code targets} (read live: a late SUB may see it) but the one
   * whose id is {@code except} (its publisher, which asked for no echo; null for none).
   */
  private record Delivery(
      String tail, Set<Connection> targets, String except, Name name, long offset) {}

  /**
   * Holds the live events of {@code c}'s subscription to {@code channel} from now until {@link
   * #release}: call it before subscribing, so that no event slips between the history read and the
   * live ones.
   */
  Holding hold(Connection c, String channel, int limit) {
    Held key = new Held(c, new Name(channel, false));
    Holding h = new Holding(c, key, limit);
    holding.put(key, h);
    return h;
  }

  /**
   * Ends a replay: sends the held events after {@code replayedUpTo} (those at or before it were
   * replayed from the history already; 0 sends them all), in order, then lets live events through.
   */
  void release(Holding h, long replayedUpTo) {
    synchronized (h) {
      if (!h.released) {
        for (Delivery d : h.held) {
          if (d.offset() == 0 || d.offset() > replayedUpTo) {
            h.connection.send(MessageType.EVNT, d.tail());
          }
        }
        h.held.clear();
        h.released = true;
      }
      holding.remove(h.key, h);
    }
  }

  /** A thread writing the events of the connections that hash to it. */
  private final class Lane implements Runnable {

    private final int index;
    private final BlockingQueue<Delivery> queue = new ArrayBlockingQueue<>(4096);
    private final Thread thread;
    private volatile boolean stopped;

    Lane(int index, ThreadFactory threads) {
      this.index = index;
      thread = threads.newThread(this);
      thread.setName("juggler-events-" + index);
      thread.start();
    }

    void offer(Delivery d) {
      try {
        queue.put(d);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void run() {
      while (!stopped) {
        Delivery d;
        try {
          d = queue.take();
        } catch (InterruptedException e) {
          return;
        }
        try {
          deliver(d);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "event delivery failed; continuing", e);
        }
      }
    }

    private void deliver(Delivery d) {
      long delivered = 0;
      long dropped = 0;
      for (Connection c : d.targets()) {
        if (lanes.length > 1 && Math.floorMod(c.id().hashCode(), lanes.length) != index) {
          continue;
        }
        if (c.id().equals(d.except())) {
          continue; // its own publication, which it asked not to get
        }
        if (!holding.isEmpty()) {
          Holding h = holding.get(new Held(c, d.name()));
          if (h != null && h.hold(d)) {
            continue; // its replay runs: sent after the missed events
          }
        }
        if (c.send(MessageType.EVNT, d.tail())) {
          delivered++;
        } else {
          dropped++;
        }
      }
      metrics.events(delivered, dropped);
    }

    void stop() {
      stopped = true;
      thread.interrupt();
    }
  }

  boolean isConnected() {
    return subscriber.isConnected();
  }

  /** Local subscribers per channel or pattern. */
  Map<Name, Integer> subscriberCounts() {
    Map<Name, Integer> counts =
        new TreeMap<>(Comparator.comparing(Name::name).thenComparing(Name::pattern));
    index.forEach((n, set) -> counts.put(n, set.size()));
    return counts;
  }

  @Override
  public void close() {
    subscriber.close();
    for (Lane lane : lanes) {
      lane.stop();
    }
  }
}
