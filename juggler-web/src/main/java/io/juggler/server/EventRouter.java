package io.juggler.server;

import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.EventListener;
import io.juggler.broker.EventSubscriber;
import io.juggler.broker.PubSubBroker;
import io.juggler.message.Evnt;
import io.juggler.message.PubPayload;
import io.juggler.message.Uuids;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fans events out from the server's one Redis subscription to local connections (spec 14.1): an
 * index from channel or pattern to the connections subscribed to it. A SUB is acknowledged only
 * once Redis has confirmed the subscription (spec 14.10). Delivery only queues on each connection,
 * so a slow subscriber never delays the others. Thread-safe.
 */
final class EventRouter implements EventListener, AutoCloseable {

  /** A channel name, or a pattern when {@code pattern} is true. */
  record Name(String name, boolean pattern) {}

  private final Map<Name, Set<Connection>> index = new ConcurrentHashMap<>();
  private final ServerMetrics metrics;
  private final Duration confirmTimeout;
  private final EventSubscriber subscriber;

  EventRouter(
      PubSubBroker broker, ServerMetrics metrics, Duration confirmTimeout, ThreadFactory threads) {
    this.metrics = metrics;
    this.confirmTimeout = confirmTimeout;
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
    if (c.subscriptions.contains(n)) {
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
    if (c.subscriptions.add(n)) {
      index.computeIfAbsent(n, k -> ConcurrentHashMap.newKeySet()).add(c);
    } else {
      subscriber.unsubscribe(name, pattern); // a concurrent SUB of the same name won
    }
  }

  /** Ends {@code c}'s subscription to {@code name}, if any. */
  void unsubscribe(Connection c, String name, boolean pattern) {
    Name n = new Name(name, pattern);
    if (c.subscriptions.remove(n)) {
      removeFromIndex(c, n);
      subscriber.unsubscribe(name, pattern);
    }
  }

  /** Ends every subscription of a closing connection. */
  void forget(Connection c) {
    for (Name n : c.subscriptions) {
      if (c.subscriptions.remove(n)) {
        removeFromIndex(c, n);
        subscriber.unsubscribe(n.name(), n.pattern());
      }
    }
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
    if (targets == null) {
      return;
    }
    for (Connection c : targets) {
      if (c.send(new Evnt(Uuids.random(), payload.msgUuid(), channel, pattern, payload.args()))) {
        metrics.event();
        metrics.sent(io.juggler.message.MessageType.EVNT);
      } else {
        metrics.droppedEvent();
      }
    }
  }

  boolean isConnected() {
    return subscriber.isConnected();
  }

  /** Local subscribers per channel or pattern. */
  Map<Name, Integer> subscriberCounts() {
    Map<Name, Integer> counts =
        new java.util.TreeMap<>(
            java.util.Comparator.comparing(Name::name).thenComparing(Name::pattern));
    index.forEach((n, set) -> counts.put(n, set.size()));
    return counts;
  }

  @Override
  public void close() {
    subscriber.close();
  }
}
