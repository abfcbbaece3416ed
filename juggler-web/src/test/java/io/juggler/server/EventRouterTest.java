package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.EventListener;
import io.juggler.broker.EventSubscriber;
import io.juggler.broker.PubSubBroker;
import io.juggler.message.PubPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link EventRouter} on an in-memory subscription: its index, reference counts and fan-out. */
class EventRouterTest {

  /** A subscription that confirms at once (or fails while down) and counts references. */
  static final class MemorySubscriber implements EventSubscriber, PubSubBroker {
    final Map<String, Integer> refs = new ConcurrentHashMap<>();
    volatile boolean down;
    EventListener listener;

    @Override
    public CompletableFuture<Void> subscribe(String name, boolean pattern) {
      if (down) {
        return CompletableFuture.failedFuture(
            new BrokerUnavailableException("redis unavailable: test", null));
      }
      refs.merge(key(name, pattern), 1, Integer::sum);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void unsubscribe(String name, boolean pattern) {
      refs.computeIfPresent(key(name, pattern), (k, n) -> n == 1 ? null : n - 1);
    }

    @Override
    public boolean isConnected() {
      return !down;
    }

    @Override
    public void close() {}

    @Override
    public void publish(String channel, PubPayload payload) {
      listener.onEvent(channel, null, payload);
    }

    @Override
    public EventSubscriber openSubscriber(EventListener listener, ThreadFactory threads) {
      this.listener = listener;
      return this;
    }

    static String key(String name, boolean pattern) {
      return (pattern ? "p:" : "c:") + name;
    }
  }

  private final MemorySubscriber redis = new MemorySubscriber();
  private final EventRouter router =
      new EventRouter(redis, ServerCounters.NONE, Duration.ofSeconds(1), Thread::new, 2);

  @AfterEach
  void close() {
    router.close();
  }

  private static Connection connection(FakeSession s) {
    return s.connection(64, 1 << 20);
  }

  private static PubPayload event(String args) {
    return new PubPayload(Uuids.random(), RawJson.of(args));
  }

  @Test
  void eventsReachChannelAndPatternSubscribersOnly() {
    FakeSession a = new FakeSession();
    FakeSession b = new FakeSession();
    FakeSession other = new FakeSession();
    router.subscribe(connection(a), "news.1", false);
    router.subscribe(connection(b), "news.*", true);
    router.subscribe(connection(other), "sport", false);
    router.onEvent("news.1", null, event("1"));
    router.onEvent("news.1", "news.*", event("2"));
    await().atMost(Duration.ofSeconds(5)).until(() -> a.written.size() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> b.written.size() == 1);
    assertTrue(a.written.get(0).contains("\"type\":10") && a.written.get(0).contains("\"args\":1"));
    assertTrue(b.written.get(0).contains("\"pattern\":\"news.*\""), b.written.get(0));
    assertTrue(other.written.isEmpty());
  }

  /** The publisher of a PUB without echo is skipped; the next event reaches it (same lane). */
  @Test
  void anEventExceptOneConnectionSkipsOnlyThatOne() {
    FakeSession publisherSession = new FakeSession();
    FakeSession otherSession = new FakeSession();
    Connection publisher = connection(publisherSession);
    router.subscribe(publisher, "room", false);
    router.subscribe(connection(otherSession), "room", false);
    router.onEvent("room", null, new PubPayload(Uuids.random(), RawJson.of("1"), publisher.id()));
    router.onEvent("room", null, event("2"));
    await().atMost(Duration.ofSeconds(5)).until(() -> otherSession.written.size() == 1);
    otherSession.complete(); // its next write waits for this one
    await().atMost(Duration.ofSeconds(5)).until(() -> otherSession.written.size() == 2);
    // the publisher's first write is the second event: the first was not for it
    await().atMost(Duration.ofSeconds(5)).until(() -> publisherSession.written.size() == 1);
    assertTrue(
        publisherSession.written.get(0).contains("\"args\":2"), publisherSession.written.get(0));
    assertTrue(otherSession.written.get(0).contains("\"args\":1"), otherSession.written.get(0));
  }

  @Test
  void redisIsSubscribedOncePerNameWhateverTheSubscribers() {
    Connection a = connection(new FakeSession());
    Connection b = connection(new FakeSession());
    router.subscribe(a, "room", false);
    router.subscribe(a, "room", false); // again: harmless
    router.subscribe(b, "room", false);
    assertEquals(2, redis.refs.get("c:room"));
    assertEquals(1, router.subscriptionCount(a));
    router.unsubscribe(a, "room", false);
    assertEquals(1, redis.refs.get("c:room"));
    router.unsubscribe(a, "room", false); // not subscribed any more: harmless
    router.forget(b);
    assertTrue(redis.refs.isEmpty(), "no Redis subscription left: " + redis.refs);
    assertEquals(0, router.subscriptionCount(b));
  }

  @Test
  void aClosedConnectionGetsNoMoreEvents() {
    FakeSession s = new FakeSession();
    Connection c = connection(s);
    router.subscribe(c, "x", false);
    router.forget(c);
    router.onEvent("x", null, event("1"));
    FakeSession marker = new FakeSession();
    router.subscribe(connection(marker), "y", false);
    router.onEvent("y", null, event("2"));
    await().atMost(Duration.ofSeconds(5)).until(() -> marker.written.size() == 1);
    assertTrue(s.written.isEmpty());
  }

  @Test
  void aSubscriptionRedisRefusesIsNotIndexed() {
    Connection c = connection(new FakeSession());
    redis.down = true;
    assertThrows(BrokerUnavailableException.class, () -> router.subscribe(c, "x", false));
    assertEquals(0, router.subscriptionCount(c));
    redis.down = false;
    router.subscribe(c, "x", false);
    assertEquals(1, router.subscriptionCount(c));
  }
}
