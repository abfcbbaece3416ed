package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.EventListener;
import io.juggler.broker.EventSubscriber;
import io.juggler.broker.HistoryRead;
import io.juggler.broker.PubSubBroker;
import io.juggler.message.PubPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** Each channel's history, in memory (epoch "mem"). */
    final Map<String, List<PubPayload>> histories = new ConcurrentHashMap<>();

    @Override
    public synchronized PubPayload publishWithHistory(
        String channel, PubPayload payload, int size, Duration age) {
      List<PubPayload> h = histories.computeIfAbsent(channel, k -> new ArrayList<>());
      PubPayload placed = payload.at(h.size() + 1, "mem");
      h.add(placed);
      listener.onEvent(channel, null, placed);
      return placed;
    }

    @Override
    public synchronized HistoryRead readHistory(
        String channel, long offset, String epoch, int max, Duration age, int maxBytes) {
      List<PubPayload> h = histories.getOrDefault(channel, List.of());
      if (!"mem".equals(epoch)) {
        return new HistoryRead(HistoryRead.Status.EPOCH_CHANGED, h.size(), "mem", List.of());
      }
      return new HistoryRead(
          HistoryRead.Status.RECOVERED,
          h.size(),
          "mem",
          List.copyOf(h.subList((int) Math.min(offset, h.size()), h.size())));
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

  /**
   * Issue 23: while a connection's missed events are replayed, its live events of that channel are
   * held; released, those the replay did not have follow, then live ones flow again.
   */
  @Test
  void liveEventsDuringAReplayAreHeldThenSentWithoutTheOnesTheReplayHad() {
    FakeSession s = new FakeSession();
    Connection c = connection(s);
    EventRouter.Holding held = router.hold(c, "hist", 100);
    router.subscribe(c, "hist", false);
    router.subscribe(c, "other", false);
    for (int i = 1; i <= 3; i++) {
      router.onEvent("hist", null, event(Integer.toString(i)).at(i, "e"));
    }
    // one lane writes this connection's events in order: once the marker is written, the three
    // before it were handled (held)
    router.onEvent("other", null, event("\"marker\""));
    await().atMost(Duration.ofSeconds(5)).until(() -> s.written.size() == 1);
    assertTrue(s.written.get(0).contains("marker"), s.written.get(0));
    router.release(held, 2); // the replay had offsets 1 and 2
    s.complete();
    await().atMost(Duration.ofSeconds(5)).until(() -> s.written.size() == 2);
    assertTrue(
        s.written.get(1).contains("\"args\":3,\"offset\":3,\"epoch\":\"e\""), s.written.get(1));
    router.onEvent("hist", null, event("4").at(4, "e"));
    s.complete();
    await().atMost(Duration.ofSeconds(5)).until(() -> s.written.size() == 3);
    assertTrue(s.written.get(2).contains("\"offset\":4"), s.written.get(2));
  }

  /** Holding is bounded: a channel busier than the connection's queue closes it. */
  @Test
  void tooManyEventsDuringAReplayCloseTheConnection() {
    FakeSession s = new FakeSession();
    Connection c = connection(s);
    router.hold(c, "hist", 2);
    router.subscribe(c, "hist", false);
    for (int i = 1; i <= 3; i++) {
      router.onEvent("hist", null, event(Integer.toString(i)).at(i, "e"));
    }
    await().atMost(Duration.ofSeconds(5)).until(c::isClosing);
    assertEquals(1008, c.closeCode());
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
