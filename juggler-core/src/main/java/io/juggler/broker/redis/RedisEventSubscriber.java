package io.juggler.broker.redis;

import io.juggler.broker.Backoff;
import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.EventListener;
import io.juggler.broker.EventSubscriber;
import io.juggler.message.InvalidPayloadException;
import io.juggler.message.JsonCodec;
import io.juggler.message.PubPayload;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;

/**
 * The one subscription connection of a server (spec 14.1, 14.10, 14.11): reference-counted
 * SUBSCRIBE/PSUBSCRIBE on a dedicated connection, confirmations awaited, automatic reconnection
 * with exponential back-off ({@link Backoff}) and re-subscription of everything that is still
 * referenced.
 *
 * <p>The connection always subscribes to a private control channel first; its confirmation marks
 * the connection as up. Commands are written under {@link #lock} from any thread; replies are read
 * by the subscriber's own thread, which also runs the listener.
 */
final class RedisEventSubscriber implements EventSubscriber {

  private static final Logger LOG = Logger.getLogger(RedisEventSubscriber.class.getName());

  private record Name(String name, boolean pattern) {}

  private static final class Entry {
    int refs;
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
  }

  private final List<HostAndPort> nodes;
  private final JedisClientConfig config;
  private final EventListener listener;
  private final BrokerMetrics metrics;
  private final String controlChannel = RedisKeys.controlChannel();
  private final Object lock = new Object();
  private final Map<Name, Entry> entries = new HashMap<>();
  private final Thread thread;

  // guarded by lock
  private Handler handler;
  private Connection connection;
  private boolean connected;
  private volatile boolean closed;

  RedisEventSubscriber(
      List<HostAndPort> nodes,
      JedisClientConfig config,
      EventListener listener,
      BrokerMetrics metrics,
      ThreadFactory threads) {
    this.nodes = nodes;
    this.config = config;
    this.listener = listener;
    this.metrics = metrics;
    this.thread = threads.newThread(this::loop);
    this.thread.setName("juggler-pubsub");
    this.thread.start();
  }

  @Override
  public CompletableFuture<Void> subscribe(String name, boolean pattern) {
    synchronized (lock) {
      if (!connected) {
        return CompletableFuture.failedFuture(
            new BrokerUnavailableException("redis unavailable: pub-sub connection is down", null));
      }
      Entry e = entries.computeIfAbsent(new Name(name, pattern), n -> new Entry());
      if (e.refs++ == 0) {
        send(handler, name, pattern, true);
      }
      return e.confirmed;
    }
  }

  @Override
  public void unsubscribe(String name, boolean pattern) {
    synchronized (lock) {
      Name n = new Name(name, pattern);
      Entry e = entries.get(n);
      if (e == null) {
        return;
      }
      if (--e.refs <= 0) {
        entries.remove(n);
        if (!e.confirmed.isDone()) {
          e.confirmed.completeExceptionally(
              new BrokerUnavailableException("unsubscribed before Redis confirmed", null));
        }
        if (connected) {
          send(handler, name, pattern, false);
        }
      }
    }
  }

  @Override
  public boolean isConnected() {
    synchronized (lock) {
      return connected;
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      connected = false;
      if (connection != null) {
        connection.disconnect();
      }
    }
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(Handler h, String name, boolean pattern, boolean subscribe) {
    try {
      if (subscribe) {
        if (pattern) {
          h.psubscribe(name);
        } else {
          h.subscribe(name);
        }
      } else if (pattern) {
        h.punsubscribe(name);
      } else {
        h.unsubscribe(name);
      }
    } catch (RuntimeException e) {
      // the reader thread sees the broken connection too and starts reconnecting
      LOG.log(Level.FINE, "pub-sub command failed", e);
    }
  }

  private void loop() {
    Backoff backoff = new Backoff();
    long outageStart = 0;
    int attempt = 0;
    while (!closed) {
      HostAndPort node = nodes.get(attempt++ % nodes.size());
      Throwable failure;
      try {
        Connection c = new Connection(node, config);
        Handler h = new Handler();
        synchronized (lock) {
          if (closed) {
            c.close();
            return;
          }
          connection = c;
          handler = h;
        }
        h.proceed(c, controlChannel);
        failure = null;
      } catch (RuntimeException e) {
        failure = e;
      }
      boolean wasUp = markDown(failure);
      if (closed) {
        return;
      }
      if (wasUp) {
        backoff.reset();
        outageStart = System.nanoTime();
        metrics.redisError();
        LOG.log(
            Level.WARNING,
            "pub-sub connection to {0} lost ({1}); reconnecting with back-off",
            new Object[] {node, failure});
        listener.onConnectionChange(false, failure);
      } else if (outageStart == 0) {
        outageStart = System.nanoTime();
        LOG.log(
            Level.WARNING,
            "pub-sub connection to {0} failed ({1}); retrying with back-off",
            new Object[] {node, failure});
      } else {
        LOG.log(Level.FINE, "pub-sub reconnect to {0} failed: {1}", new Object[] {node, failure});
      }
      if (!backoff.sleep()) {
        Thread.interrupted(); // close() interrupts; any other interrupt only cuts this wait short
        if (closed) {
          return;
        }
      }
      if (handlerUp()) {
        outageStart = 0;
      }
    }
  }

  private boolean handlerUp() {
    synchronized (lock) {
      return connected;
    }
  }

  /** Marks the connection down; fails and forgets subscriptions still waiting to be confirmed. */
  private boolean markDown(Throwable cause) {
    synchronized (lock) {
      boolean wasUp = connected;
      connected = false;
      handler = null;
      if (connection != null) {
        connection.close();
        connection = null;
      }
      BrokerUnavailableException ex =
          new BrokerUnavailableException(
              "redis unavailable: pub-sub connection lost"
                  + (cause == null ? "" : ": " + cause.getMessage()),
              cause);
      entries
          .values()
          .removeIf(
              e -> {
                if (!e.confirmed.isDone()) {
                  e.confirmed.completeExceptionally(ex);
                  return true;
                }
                return false;
              });
      return wasUp;
    }
  }

  private final class Handler extends JedisPubSub {

    @Override
    public void onSubscribe(String channel, int count) {
      if (controlChannel.equals(channel)) {
        synchronized (lock) {
          connected = true;
          entries.forEach((n, e) -> send(this, n.name(), n.pattern(), true));
        }
        LOG.log(Level.INFO, "pub-sub connection up ({0} subscriptions restored)", entries.size());
        listener.onConnectionChange(true, null);
      } else {
        confirm(new Name(channel, false));
      }
    }

    @Override
    public void onPSubscribe(String pattern, int count) {
      confirm(new Name(pattern, true));
    }

    private void confirm(Name n) {
      CompletableFuture<Void> f;
      synchronized (lock) {
        Entry e = entries.get(n);
        f = e == null ? null : e.confirmed;
      }
      if (f != null) {
        f.complete(null);
      }
    }

    @Override
    public void onMessage(String channel, String message) {
      if (!controlChannel.equals(channel)) {
        deliver(channel, null, message);
      }
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      deliver(channel, pattern, message);
    }

    private void deliver(String channel, String pattern, String message) {
      PubPayload payload;
      try {
        payload = JsonCodec.decodePubPayload(message);
      } catch (InvalidPayloadException e) {
        metrics.invalidEventPayload();
        LOG.log(
            Level.FINE,
            "channel={0} dropped invalid event payload: {1}",
            new Object[] {channel, e});
        return;
      }
      try {
        listener.onEvent(channel, pattern, payload);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, e, () -> "channel=" + channel + " event listener failed");
      }
    }
  }
}
