package io.juggler.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.EventSubscriber;
import io.juggler.broker.ReceivedCall;
import io.juggler.broker.redis.RedisBrokerIT.Change;
import io.juggler.broker.redis.RedisBrokerIT.Event;
import io.juggler.broker.redis.RedisBrokerIT.RecordingListener;
import io.juggler.broker.redis.RedisBrokerIT.RecordingMetrics;
import io.juggler.message.CallPayload;
import io.juggler.message.PubPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import io.juggler.testing.TestKeys;
import io.juggler.testing.redis.RedisProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A Redis outage and recovery (spec 14.11) on a private Redis that the tests stop and restart on
 * the same port: the broker's pooled clients and the event subscriber recover by themselves.
 */
class RedisOutageIT {

  private static final Duration RECOVERY = Duration.ofSeconds(15);

  private static RedisProcess redis;

  private RecordingMetrics metrics;
  private RedisBroker broker;

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void setUp() {
    if (!redis.isRunning()) {
      redis.restart();
    }
    URI url = URI.create(redis.url());
    metrics = new RecordingMetrics();
    broker =
        new RedisBroker(
            new RedisSettings(
                List.of(url),
                List.of(url),
                false,
                4,
                Duration.ofMillis(500),
                Duration.ofSeconds(2),
                0,
                0,
                false),
            metrics);
  }

  @AfterEach
  void tearDown() {
    broker.close();
  }

  @Test
  void callsFailDuringTheOutageAndWorkAgainAfterRestartWithTheSameBroker() {
    String uri = TestKeys.unique("outage");
    CallPayload before = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("1"));
    broker.call(before, 10_000);
    assertEquals(
        before, broker.takeCall(List.of(uri), Duration.ofSeconds(2)).orElseThrow().payload());

    redis.stop();
    CallPayload during = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("2"));
    BrokerUnavailableException down =
        assertThrows(BrokerUnavailableException.class, () -> broker.call(during, 10_000));
    assertTrue(down.getMessage().startsWith("redis unavailable"), down.getMessage());
    assertThrows(
        BrokerUnavailableException.class,
        () -> broker.takeCall(List.of(uri), Duration.ofMillis(200)));
    assertThrows(
        BrokerUnavailableException.class,
        () -> broker.publish("chan", new PubPayload(Uuids.random(), null)));
    assertTrue(metrics.redisErrors.get() >= 3);

    redis.restart();
    CallPayload after = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("3"));
    // stale pooled connections may fail once each; the broker recovers without being recreated
    await("call accepted after restart")
        .atMost(RECOVERY)
        .pollInterval(Duration.ofMillis(100))
        .ignoreException(BrokerUnavailableException.class)
        .until(
            () -> {
              broker.call(after, 10_000);
              return true;
            });
    ReceivedCall taken =
        await("call taken after restart")
            .atMost(RECOVERY)
            .pollInterval(Duration.ofMillis(100))
            .ignoreException(BrokerUnavailableException.class)
            .until(() -> broker.takeCall(List.of(uri), Duration.ofSeconds(1)), r -> r.isPresent())
            .orElseThrow();
    assertEquals(after, taken.payload());

    // and results too
    String conn = Uuids.random();
    CallPayload result = new CallPayload(conn, after.msgUuid(), uri, RawJson.of("\"done\""));
    broker.storeResult(result, 5000);
    assertEquals(result, broker.takeResult(conn, Duration.ofSeconds(2)).orElseThrow());
  }

  @Test
  void subscriberReportsTheOutageAndResubscribesByItself() throws Exception {
    RecordingListener listener = new RecordingListener();
    try (EventSubscriber subscriber = broker.openSubscriber(listener, RedisBrokerIT.DAEMON)) {
      await().atMost(RECOVERY).until(subscriber::isConnected);
      await().atMost(RECOVERY).until(() -> listener.changes().equals(List.of(true)));
      String channel = TestKeys.unique("survivor");
      String pattern = TestKeys.unique("survivors") + ".*";
      subscriber.subscribe(channel, false).get(5, TimeUnit.SECONDS);
      subscriber.subscribe(pattern, true).get(5, TimeUnit.SECONDS);
      PubPayload first = new PubPayload(Uuids.random(), RawJson.of("1"));
      broker.publish(channel, first);
      await()
          .atMost(RECOVERY)
          .until(() -> listener.events.contains(new Event(channel, null, first)));

      redis.stop();
      await("connection loss reported")
          .atMost(RECOVERY)
          .until(() -> listener.changes().equals(List.of(true, false)));
      assertFalse(subscriber.isConnected());
      Change lost = List.copyOf(listener.changes).get(1);
      assertNotNull(lost.cause(), "a lost connection carries its cause");
      String other = TestKeys.unique("during-outage");
      CompletableFuture<Void> refused = subscriber.subscribe(other, false);
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> refused.get(1, TimeUnit.SECONDS));
      assertInstanceOf(BrokerUnavailableException.class, e.getCause());

      redis.restart();
      await("reconnection reported")
          .atMost(RECOVERY)
          .until(() -> listener.changes().equals(List.of(true, false, true)));
      assertNull(List.copyOf(listener.changes).get(2).cause());
      assertTrue(subscriber.isConnected());

      try (Jedis jedis = redis.jedis()) {
        await("subscriptions restored in Redis")
            .atMost(RECOVERY)
            .until(() -> RedisBrokerIT.numSub(jedis, channel) == 1L && jedis.pubsubNumPat() >= 1L);
        assertEquals(
            0L,
            RedisBrokerIT.numSub(jedis, other),
            "a subscribe refused during the outage holds no reference");
        PubPayload second = new PubPayload(Uuids.random(), RawJson.of("2"));
        PubPayload third = new PubPayload(Uuids.random(), RawJson.of("3"));
        String concrete = pattern.substring(0, pattern.length() - 2) + ".x";
        await("publish accepted after restart")
            .atMost(RECOVERY)
            .ignoreException(BrokerUnavailableException.class)
            .until(
                () -> {
                  broker.publish(channel, second);
                  return true;
                });
        broker.publish(concrete, third);
        await("events after restart")
            .atMost(RECOVERY)
            .until(
                () ->
                    listener.events.contains(new Event(channel, null, second))
                        && listener.events.contains(new Event(concrete, pattern, third)));

        // and new subscriptions work again
        String fresh = TestKeys.unique("fresh");
        subscriber.subscribe(fresh, false).get(5, TimeUnit.SECONDS);
        PubPayload fourth = new PubPayload(Uuids.random(), null);
        broker.publish(fresh, fourth);
        await()
            .atMost(RECOVERY)
            .until(() -> listener.events.contains(new Event(fresh, null, fourth)));
      }
    }
  }
}
