package io.juggler.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.EventListener;
import io.juggler.broker.EventSubscriber;
import io.juggler.broker.HistoryRead;
import io.juggler.message.PubPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import io.juggler.testing.RedisExtension;
import io.juggler.testing.TestKeys;
import io.juggler.testing.redis.RedisProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * Channel history (issue 23, item 2) on a real Redis: offsets follow publication, subscribers get
 * them with the events, what was missed is read back in order, and a history that started over, was
 * trimmed or aged out says so instead of returning a gap.
 */
@ExtendWith(RedisExtension.class)
class RedisHistoryIT {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final int BYTES = 8 * 1024 * 1024;

  private RedisProcess redis;
  private RedisBroker broker;

  @BeforeEach
  void setUp(RedisProcess redis) {
    this.redis = redis;
    broker = new RedisBroker(RedisSettings.standalone(URI.create(redis.url())), BrokerMetrics.NONE);
  }

  @AfterEach
  void tearDown() {
    broker.close();
  }

  private static PubPayload event(int n) {
    return new PubPayload(Uuids.random(), RawJson.of(Integer.toString(n)));
  }

  @Test
  void eventsGetConsecutiveOffsetsOfOneEpochAndSubscribersSeeThem() throws Exception {
    String channel = TestKeys.unique("history.live");
    BlockingQueue<PubPayload> heard = new LinkedBlockingQueue<>();
    EventListener listener = (ch, pattern, payload) -> heard.add(payload);
    try (EventSubscriber s = broker.openSubscriber(listener, RedisBrokerIT.DAEMON)) {
      await().atMost(RedisBrokerIT.AWAIT).until(s::isConnected);
      s.subscribe(channel, false).get(10, TimeUnit.SECONDS);
      List<PubPayload> placed = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        placed.add(broker.publishWithHistory(channel, event(i), 100, MINUTE));
      }
      String epoch = placed.get(0).epoch();
      assertNotNull(epoch);
      for (int i = 0; i < 3; i++) {
        assertEquals(i + 1, placed.get(i).offset());
        assertEquals(epoch, placed.get(i).epoch());
        PubPayload live = heard.poll(10, TimeUnit.SECONDS);
        assertEquals(placed.get(i), live, "published with its offset and epoch");
      }
    }
  }

  /**
   * A recovery is read in pages and stops at a byte limit: a subscriber that missed a large history
   * cannot make Redis, or the server, hold all of it at once.
   */
  @Test
  void aLongHistoryIsReadInPagesUpToAByteLimit() {
    String channel = TestKeys.unique("history.pages");
    String pad = "x".repeat(1000);
    String epoch = null;
    for (int i = 1; i <= 300; i++) {
      PubPayload e = new PubPayload(Uuids.random(), RawJson.of("[" + i + ",\"" + pad + "\"]"));
      epoch = broker.publishWithHistory(channel, e, 1000, MINUTE).epoch();
    }
    HistoryRead all = broker.readHistory(channel, 0, epoch, 1000, MINUTE, 1_000_000);
    assertEquals(HistoryRead.Status.RECOVERED, all.status());
    List<Long> offsets = all.events().stream().map(PubPayload::offset).toList();
    assertEquals(LongStream.rangeClosed(1, 300).boxed().toList(), offsets, "all, in order");
    assertTrue(all.events().get(299).args().json().startsWith("[300,"));

    HistoryRead tooLarge = broker.readHistory(channel, 0, epoch, 1000, MINUTE, 100_000);
    assertEquals(HistoryRead.Status.TOO_LARGE, tooLarge.status());
    assertEquals(300, tooLarge.top());
    assertEquals(List.of(), tooLarge.events());
    // what fits is still recovered
    assertEquals(
        50, broker.readHistory(channel, 250, epoch, 1000, MINUTE, 100_000).events().size());
  }

  @Test
  void whatASubscriberMissedIsReadBackInOrder() {
    String channel = TestKeys.unique("history.read");
    String epoch = null;
    for (int i = 1; i <= 10; i++) {
      epoch = broker.publishWithHistory(channel, event(i), 100, MINUTE).epoch();
    }
    HistoryRead r = broker.readHistory(channel, 6, epoch, 1000, MINUTE, BYTES);
    assertEquals(HistoryRead.Status.RECOVERED, r.status());
    assertEquals(10, r.top());
    assertEquals(epoch, r.epoch());
    assertEquals(List.of(7L, 8L, 9L, 10L), r.events().stream().map(PubPayload::offset).toList());
    assertEquals(
        List.of("7", "8", "9", "10"), r.events().stream().map(e -> e.args().json()).toList());
    assertEquals(List.of(), broker.readHistory(channel, 10, epoch, 1000, MINUTE, BYTES).events());
    assertEquals(
        HistoryRead.Status.RECOVERED,
        broker.readHistory(channel, 0, epoch, 1000, MINUTE, BYTES).status());
    assertEquals(10, broker.readHistory(channel, 0, epoch, 1000, MINUTE, BYTES).events().size());
  }

  @Test
  void anotherEpochOrAnOffsetAheadCannotBeRecovered() {
    String channel = TestKeys.unique("history.epoch");
    String epoch = broker.publishWithHistory(channel, event(1), 100, MINUTE).epoch();
    HistoryRead other = broker.readHistory(channel, 1, "not-" + epoch, 1000, MINUTE, BYTES);
    assertEquals(HistoryRead.Status.EPOCH_CHANGED, other.status());
    assertEquals(1, other.top());
    assertEquals(epoch, other.epoch(), "the current position, to go on from");
    assertEquals(
        HistoryRead.Status.EPOCH_CHANGED,
        broker.readHistory(channel, 2, epoch, 1000, MINUTE, BYTES).status());
    // a history that is gone starts over with another epoch
    try (Jedis j = redis.jedis()) {
      j.del(RedisKeys.history(channel), RedisKeys.historyMeta(channel));
    }
    assertEquals(
        HistoryRead.Status.EPOCH_CHANGED,
        broker.readHistory(channel, 1, epoch, 1000, MINUTE, BYTES).status());
    PubPayload again = broker.publishWithHistory(channel, event(2), 100, MINUTE);
    assertNotEquals(epoch, again.epoch());
    assertEquals(1, again.offset());
  }

  @Test
  void trimmedTooManyOrAgedOutEventsAreGone() {
    String channel = TestKeys.unique("history.gone");
    String epoch = null;
    for (int i = 1; i <= 300; i++) {
      epoch = broker.publishWithHistory(channel, event(i), 10, MINUTE).epoch();
    }
    try (Jedis j = redis.jedis()) {
      long kept = j.xlen(RedisKeys.history(channel));
      assertTrue(kept >= 10 && kept < 300, "trimmed to about 10: " + kept);
    }
    assertEquals(
        HistoryRead.Status.HISTORY_GONE,
        broker.readHistory(channel, 1, epoch, 1000, MINUTE, BYTES).status(),
        "the oldest were trimmed");
    assertEquals(
        HistoryRead.Status.HISTORY_GONE,
        broker.readHistory(channel, 290, epoch, 5, MINUTE, BYTES).status(),
        "more missed than the subscriber may replay");
    assertEquals(10, broker.readHistory(channel, 290, epoch, 1000, MINUTE, BYTES).events().size());

    String aging = TestKeys.unique("history.age");
    Duration second = Duration.ofSeconds(1);
    String e = broker.publishWithHistory(aging, event(1), 10, second).epoch();
    broker.publishWithHistory(aging, event(2), 10, second);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                broker.readHistory(aging, 1, e, 1000, second, BYTES).status()
                    == HistoryRead.Status.HISTORY_GONE);
  }
}
