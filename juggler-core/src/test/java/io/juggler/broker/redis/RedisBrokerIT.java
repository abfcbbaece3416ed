package io.juggler.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.BrokerException;
import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.CapacityExceededException;
import io.juggler.broker.EventListener;
import io.juggler.broker.EventSubscriber;
import io.juggler.broker.ReceivedCall;
import io.juggler.message.CallPayload;
import io.juggler.message.PubPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import io.juggler.testing.RedisExtension;
import io.juggler.testing.TestKeys;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.args.ListDirection;

/**
 * {@link RedisBroker} against one real standalone Redis (the shared one): the key layout and
 * payloads of spec section 6, capacities, the take scripts, list expiry (14.4), pub-sub with
 * reference counting and confirmations (14.1, 14.10) and an unreachable Redis.
 */
@ExtendWith(RedisExtension.class)
class RedisBrokerIT {

  private static final Logger LOG = Logger.getLogger(RedisBrokerIT.class.getName());

  static final Duration AWAIT = Duration.ofSeconds(10);
  static final Duration SHORT_POP = Duration.ofMillis(200);
  static final Duration POP = Duration.ofSeconds(2);

  private RedisProcess redis;
  private RecordingMetrics metrics;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  @BeforeEach
  void setUp(RedisProcess redis) {
    this.redis = redis;
    this.metrics = new RecordingMetrics();
  }

  @AfterEach
  void tearDown() {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "cleanup failed", e);
      }
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    resources.push(resource);
    return resource;
  }

  private RedisBroker broker() {
    return broker(RedisSettings.standalone(URI.create(redis.url())));
  }

  private RedisBroker broker(RedisSettings settings) {
    return closeLater(new RedisBroker(settings, metrics));
  }

  private Jedis jedis() {
    return closeLater(redis.jedis());
  }

  // ------------------------------------------------------------------ cancel (issue 23)

  /** A queued call cancelled: no callee gets it, and the one popping it counts it cancelled. */
  @Test
  void aQueuedCallCancelledIsNeverHandedToACallee() {
    RedisBroker broker = broker();
    String uri = TestKeys.unique("cancel.queued");
    CallPayload call = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("1"));
    broker.call(call, 5_000);
    assertTrue(broker.cancel(uri, call.msgUuid()));
    assertFalse(broker.cancel(uri, call.msgUuid()), "cancelled once");
    assertEquals(Optional.empty(), broker.takeCall(List.of(uri), SHORT_POP));
    assertEquals(List.of(call.msgUuid()), List.copyOf(metrics.cancelledCalls));
    assertEquals(List.of(), metrics.expiredCalls());
    try (Jedis j = jedis()) {
      assertFalse(j.exists(RedisKeys.callCancelled(uri, call.msgUuid())), "marker taken with it");
    }
  }

  /**
   * A taken call cancelled: the callees' listener hears of it; a client's publication on the same
   * channel is never taken for a cancel.
   */
  @Test
  void aTakenCallCancelledIsToldToTheCalleesAndAClientCannotForgeIt() throws Exception {
    RedisBroker broker = broker();
    String uri = TestKeys.unique("cancel.taken");
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    AutoCloseable listener =
        closeLater(broker.openCancelListener((u, m) -> heard.add(u + " " + m), DAEMON));
    await()
        .atMost(AWAIT)
        .until(() -> redis.jedis().pubsubNumSub(RedisKeys.CANCELS).get(RedisKeys.CANCELS) == 1L);
    // a client's PUB on the channel (what a server publishes for it: no except_conn or its own)
    broker.publish(
        RedisKeys.CANCELS,
        new PubPayload(Uuids.random(), RedisBroker.cancelNotice(uri, "forged"), Uuids.random()));
    CallPayload call = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("1"));
    broker.call(call, 5_000);
    assertTrue(broker.takeCall(List.of(uri), POP).isPresent());
    assertFalse(broker.cancel(uri, call.msgUuid()));
    assertEquals(uri + " " + call.msgUuid(), heard.poll(AWAIT.toSeconds(), TimeUnit.SECONDS));
    assertNull(heard.poll(200, TimeUnit.MILLISECONDS), "a forged notice was heard");
    listener.close();
  }

  // ------------------------------------------------------------------ batched takes (6.1, 6.2)

  /** On one Redis every URI goes in one group: one blocking pop serves them all. */
  @Test
  void urisAreOneGroupOnOneRedis() {
    RedisBroker broker = broker();
    assertEquals(List.of(List.of("b", "a", "c")), broker.slotGroups(List.of("b", "a", "c")));
    assertEquals(List.of(), broker.slotGroups(List.of()));
  }

  @Test
  void takeResultsTakesWaitingResultsInOneBatchAndDropsExpiredOnes() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String conn = Uuids.random();
    List<String> live = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String msg = Uuids.random();
      broker.storeResult(
          new CallPayload(conn, msg, "batch", RawJson.of(Integer.toString(i))), 5_000);
      live.add(msg);
    }
    String expired = live.remove(2);
    jedis.del(RedisKeys.resultTimeout(conn, expired));

    List<CallPayload> taken = broker.takeResults(conn, POP, 64);

    assertEquals(live, taken.stream().map(CallPayload::msgUuid).toList());
    assertEquals(List.of("batch"), metrics.expiredResults());
    assertEquals(0, jedis.llen(RedisKeys.results(conn)));
    for (String msg : live) {
      assertFalse(jedis.exists(RedisKeys.resultTimeout(conn, msg)), "expiry key left for " + msg);
    }
  }

  @Test
  void aLookOnALostConnectionLeavesTheResultForTheNextTake() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String conn = Uuids.random();
    String first = Uuids.random();
    broker.storeResult(new CallPayload(conn, first, "look", RawJson.of("1")), 5_000);
    // what the pump's blocking look does when its reply never reaches it (Redis frozen longer
    // than the socket timeout, then resumed: it runs the command of a connection given up)
    assertEquals(
        jedis.lindex(RedisKeys.results(conn), -1),
        jedis.lmove(
            RedisKeys.results(conn),
            RedisKeys.results(conn),
            ListDirection.RIGHT,
            ListDirection.RIGHT));
    String next = Uuids.random();
    broker.storeResult(new CallPayload(conn, next, "look", RawJson.of("2")), 5_000);

    List<CallPayload> taken = broker.takeResults(conn, POP, 64);

    assertEquals(List.of(first, next), taken.stream().map(CallPayload::msgUuid).toList());
    assertEquals(0, jedis.llen(RedisKeys.results(conn)));
    assertFalse(jedis.exists(RedisKeys.resultTimeout(conn, first)));
    assertEquals(Set.of(), jedis.keys("juggler:results:*" + conn + "*"), "nothing left behind");
  }

  @Test
  void takeResultsRespectsItsMaximum() {
    RedisBroker broker = broker();
    String conn = Uuids.random();
    for (int i = 0; i < 5; i++) {
      broker.storeResult(new CallPayload(conn, Uuids.random(), "max", RawJson.NULL), 5_000);
    }
    assertEquals(3, broker.takeResults(conn, POP, 3).size());
    assertEquals(2, broker.takeResults(conn, POP, 3).size());
  }

  @Test
  void pollCallReturnsAtOnceAndTakesOnlyOneCall() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String uri = TestKeys.unique("poll");
    assertTrue(broker.pollCall(List.of(uri)).isEmpty());
    String first = Uuids.random();
    broker.call(new CallPayload(Uuids.random(), first, uri, RawJson.of("1")), 5_000);
    broker.call(new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("2")), 5_000);

    ReceivedCall call = broker.pollCall(List.of(uri)).orElseThrow();

    assertEquals(first, call.payload().msgUuid());
    assertTrue(call.ttlMillis() > 0 && call.ttlMillis() <= 5_000);
    assertFalse(jedis.exists(RedisKeys.callTimeout(uri, first)));
    assertEquals(1, jedis.llen(RedisKeys.calls(uri)));
  }

  @Test
  void aTakenCallSaysWhetherMoreWaitBehindIt() {
    RedisBroker broker = broker();
    String uri = TestKeys.unique("waiting");
    String other = TestKeys.unique("waiting-other");
    broker.call(new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("1")), 5_000);
    broker.call(new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("2")), 5_000);
    broker.call(new CallPayload(Uuids.random(), Uuids.random(), other, RawJson.of("3")), 5_000);

    // blocking take: one left on uri, one on other
    assertTrue(broker.takeCall(List.of(uri, other), POP).orElseThrow().moreWaiting());
    assertTrue(broker.pollCall(List.of(uri, other)).orElseThrow().moreWaiting());
    // the last one: nothing behind it, so the worker blocks next rather than polling
    assertFalse(broker.pollCall(List.of(uri, other)).orElseThrow().moreWaiting());
    broker.call(new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("4")), 5_000);
    assertFalse(broker.takeCall(List.of(uri), POP).orElseThrow().moreWaiting());
  }

  @Test
  void payloadTheScriptCannotReadIsTakenByTheJavaPath() {
    // upper-case member names: legal for the reference's lenient readers, unknown to cjson lookups
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String uri = TestKeys.unique("odd");
    String msg = Uuids.random();
    jedis.psetex(RedisKeys.callTimeout(uri, msg), 5_000, "5000");
    jedis.lpush(
        RedisKeys.calls(uri),
        "{\"CONN_UUID\":\"c\",\"MSG_UUID\":\"" + msg + "\",\"URI\":\"" + uri + "\"}");

    ReceivedCall call = broker.takeCall(List.of(uri), POP).orElseThrow();

    assertEquals(msg, call.payload().msgUuid());
    assertFalse(jedis.exists(RedisKeys.callTimeout(uri, msg)));
  }

  // ------------------------------------------------------------------ calls: layout (6.1, 6.2)

  @Test
  void callWritesTheSpecLayout() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String uri = TestKeys.unique("layout");
    String conn = Uuids.random();
    String msg = Uuids.random();

    broker.call(new CallPayload(conn, msg, uri, RawJson.of("{\"invoice\":\"INV-88\"}")), 5000);

    String list = "juggler:calls:{" + uri + "}";
    String expiry = "juggler:calls:timeout:{" + uri + "}:" + msg;
    assertEquals("list", jedis.type(list));
    assertEquals(1, jedis.llen(list));
    assertEquals("string", jedis.type(expiry));
    assertEquals("5000", jedis.get(expiry), "the expiry key holds its own TTL as text");
    long pttl = jedis.pttl(expiry);
    assertTrue(pttl > 0 && pttl <= 5000, "PTTL " + pttl);

    String raw = jedis.lindex(list, 0);
    assertFalse(raw.contains("\n") || raw.contains(": "), "compact JSON: " + raw);
    JsonObject payload = parse(raw);
    assertEquals(Set.of("conn_uuid", "msg_uuid", "uri", "args"), payload.keySet());
    assertEquals(conn, payload.getString("conn_uuid"));
    assertEquals(msg, payload.getString("msg_uuid"));
    assertEquals(uri, payload.getString("uri"));
    assertEquals(parse("{\"invoice\":\"INV-88\"}"), payload.getJsonObject("args"));
  }

  @Test
  void callOmitsAbsentArgsAndKeepsExplicitNull() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String uri = TestKeys.unique("args");
    String absent = Uuids.random();
    String explicitNull = Uuids.random();

    broker.call(new CallPayload(Uuids.random(), absent, uri, null), 5000);
    broker.call(new CallPayload(Uuids.random(), explicitNull, uri, RawJson.NULL), 5000);

    List<String> entries = jedis.lrange("juggler:calls:{" + uri + "}", 0, -1);
    assertEquals(2, entries.size());
    // newest at the head (LPUSH)
    JsonObject withNull = parse(entries.get(0));
    JsonObject withoutArgs = parse(entries.get(1));
    assertEquals(explicitNull, withNull.getString("msg_uuid"));
    assertTrue(withNull.containsKey("args"), entries.get(0));
    assertEquals(JsonValue.NULL, withNull.get("args"));
    assertEquals(absent, withoutArgs.getString("msg_uuid"));
    assertEquals(Set.of("conn_uuid", "msg_uuid", "uri"), withoutArgs.keySet());

    // and both read back as they were written
    ReceivedCall first = broker.takeCall(List.of(uri), POP).orElseThrow();
    assertEquals(absent, first.payload().msgUuid());
    assertNull(first.payload().args());
    ReceivedCall second = broker.takeCall(List.of(uri), POP).orElseThrow();
    assertEquals(explicitNull, second.payload().msgUuid());
    assertNotNull(second.payload().args());
    assertTrue(second.payload().args().isNull());
  }

  @Test
  void callWithNonPositiveTtlFailsAndQueuesNothing() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String uri = TestKeys.unique("ttl0");
    String msg = Uuids.random();

    BrokerException e =
        assertThrows(
            BrokerException.class,
            () -> broker.call(new CallPayload(Uuids.random(), msg, uri, null), 0));
    assertFalse(e instanceof BrokerUnavailableException, e.toString());
    assertFalse(jedis.exists("juggler:calls:{" + uri + "}"));
    assertFalse(jedis.exists("juggler:calls:timeout:{" + uri + "}:" + msg));
  }

  // ------------------------------------------------------------------ capacity (6.3, 6.7)

  @Test
  void fourthCallOverCapacityThreeIsRejectedAndTheOlderCallsKept() {
    RedisBroker broker =
        broker(RedisSettings.standalone(URI.create(redis.url())).withCapacities(3, 0));
    Jedis jedis = jedis();
    String uri = TestKeys.unique("cap");
    List<String> msgs = List.of(Uuids.random(), Uuids.random(), Uuids.random(), Uuids.random());
    for (int i = 0; i < 3; i++) {
      broker.call(new CallPayload(Uuids.random(), msgs.get(i), uri, RawJson.of("" + i)), 10_000);
    }

    CapacityExceededException e =
        assertThrows(
            CapacityExceededException.class,
            () ->
                broker.call(
                    new CallPayload(Uuids.random(), msgs.get(3), uri, RawJson.of("3")), 10_000));
    assertEquals("list capacity exceeded", e.getMessage());

    String list = "juggler:calls:{" + uri + "}";
    List<String> kept = jedis.lrange(list, 0, -1).stream().map(RedisBrokerIT::msgOf).toList();
    assertEquals(List.of(msgs.get(2), msgs.get(1), msgs.get(0)), kept);
    for (int i = 0; i < 3; i++) {
      assertTrue(jedis.exists("juggler:calls:timeout:{" + uri + "}:" + msgs.get(i)), "call " + i);
    }
    assertFalse(
        jedis.exists("juggler:calls:timeout:{" + uri + "}:" + msgs.get(3)),
        "the rejected call's expiry key is deleted");

    // after a consumer pops an entry, a new push succeeds again
    assertEquals(msgs.get(0), broker.takeCall(List.of(uri), POP).orElseThrow().payload().msgUuid());
    String fifth = Uuids.random();
    broker.call(new CallPayload(Uuids.random(), fifth, uri, null), 10_000);
    assertEquals(3, jedis.llen(list));
  }

  // ------------------------------------------------------------------ takeCall (6.4)

  @Test
  void takeCallReturnsTheOldestCallAndDeletesItsExpiryKey() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String uri = TestKeys.unique("take");
    CallPayload first = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("[1,2]"));
    CallPayload second = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("\"x\""));
    broker.call(first, 5000);
    broker.call(second, 7000);

    long before = System.nanoTime();
    ReceivedCall taken = broker.takeCall(List.of(uri), POP).orElseThrow();
    long after = System.nanoTime();

    assertEquals(first, taken.payload());
    assertTrue(taken.ttlMillis() > 0 && taken.ttlMillis() <= 5000, "ttl " + taken.ttlMillis());
    assertTrue(taken.takenAtNanos() >= before && taken.takenAtNanos() <= after);
    assertFalse(jedis.exists("juggler:calls:timeout:{" + uri + "}:" + first.msgUuid()));
    assertTrue(jedis.exists("juggler:calls:timeout:{" + uri + "}:" + second.msgUuid()));

    ReceivedCall next = broker.takeCall(List.of(uri), POP).orElseThrow();
    assertEquals(second, next.payload());
    assertTrue(next.ttlMillis() > 0 && next.ttlMillis() <= 7000, "ttl " + next.ttlMillis());
    assertFalse(jedis.exists("juggler:calls:timeout:{" + uri + "}:" + second.msgUuid()));

    assertEquals(Optional.empty(), broker.takeCall(List.of(uri), SHORT_POP));
    assertEquals(List.of(), metrics.expiredCalls());
  }

  @Test
  void callWhoseExpiryKeyIsGoneIsDroppedAndCounted() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String uri = TestKeys.unique("expired");
    CallPayload shortLived = new CallPayload(Uuids.random(), Uuids.random(), uri, null);
    CallPayload longLived = new CallPayload(Uuids.random(), Uuids.random(), uri, null);
    broker.call(shortLived, 30);
    // keeps the list alive (its PEXPIRE follows the longest pending TTL) after the first expires
    broker.call(longLived, 10_000);
    String expiry = "juggler:calls:timeout:{" + uri + "}:" + shortLived.msgUuid();
    await("expiry key of the short call gone").atMost(AWAIT).until(() -> !jedis.exists(expiry));

    assertEquals(Optional.empty(), broker.takeCall(List.of(uri), POP));
    assertEquals(List.of(uri), metrics.expiredCalls());

    assertEquals(longLived, broker.takeCall(List.of(uri), POP).orElseThrow().payload());
    assertEquals(List.of(uri), metrics.expiredCalls());
  }

  @Test
  void invalidCallPayloadsAreDroppedAndCounted() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String uri = TestKeys.unique("invalid");
    String list = "juggler:calls:{" + uri + "}";
    jedis.lpush(list, "not json");
    jedis.lpush(list, "[1,2,3]");
    jedis.lpush(list, "{\"conn_uuid\":5,\"msg_uuid\":\"m\",\"uri\":\"" + uri + "\"}");
    CallPayload valid = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("{}"));
    broker.call(valid, 5000);

    for (int i = 0; i < 3; i++) {
      assertEquals(Optional.empty(), broker.takeCall(List.of(uri), POP), "entry " + i);
    }
    assertEquals(3, metrics.invalidCallPayloads.get());
    assertEquals(valid, broker.takeCall(List.of(uri), POP).orElseThrow().payload());
    assertEquals(3, metrics.invalidCallPayloads.get());
    assertEquals(List.of(), metrics.expiredCalls());
  }

  @Test
  void twoPayloadsWithTheSameUriAndMessageRunOnce() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String uri = TestKeys.unique("dup");
    CallPayload call = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("1"));
    broker.call(call, 5000);
    String list = "juggler:calls:{" + uri + "}";
    jedis.lpush(list, jedis.lindex(list, 0));
    assertEquals(2, jedis.llen(list));

    assertEquals(call, broker.takeCall(List.of(uri), POP).orElseThrow().payload());
    assertEquals(Optional.empty(), broker.takeCall(List.of(uri), POP));
    assertEquals(List.of(uri), metrics.expiredCalls());
    assertEquals(0, jedis.llen(list));
  }

  @Test
  void takeCallOverSeveralUrisPopsWhicheverHasData() throws Exception {
    RedisBroker broker = broker();
    String a = TestKeys.unique("multi-a");
    String b = TestKeys.unique("multi-b");
    String c = TestKeys.unique("multi-c");
    List<String> uris = List.of(a, b, c);

    CallPayload onB = new CallPayload(Uuids.random(), Uuids.random(), b, null);
    broker.call(onB, 5000);
    assertEquals(onB, broker.takeCall(uris, POP).orElseThrow().payload());

    // several non-empty lists: BRPOP takes the first non-empty one in argument order
    CallPayload onC = new CallPayload(Uuids.random(), Uuids.random(), c, null);
    CallPayload onA = new CallPayload(Uuids.random(), Uuids.random(), a, null);
    broker.call(onC, 5000);
    broker.call(onA, 5000);
    assertEquals(onA, broker.takeCall(uris, POP).orElseThrow().payload());
    assertEquals(onC, broker.takeCall(uris, POP).orElseThrow().payload());

    // a blocked pop wakes up when a call arrives on any of its lists
    CompletableFuture<Optional<ReceivedCall>> blocked =
        CompletableFuture.supplyAsync(() -> broker.takeCall(uris, Duration.ofSeconds(5)));
    CallPayload late = new CallPayload(Uuids.random(), Uuids.random(), c, RawJson.of("true"));
    broker.call(late, 5000);
    assertEquals(late, blocked.get(10, TimeUnit.SECONDS).orElseThrow().payload());

    assertEquals(Optional.empty(), broker.takeCall(uris, SHORT_POP));
  }

  // ------------------------------------------------------------------ results (6.5)

  @Test
  void storeResultAndTakeResultRoundTrip() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String conn = Uuids.random();
    String msg = Uuids.random();
    String uri = TestKeys.unique("result");
    CallPayload result = new CallPayload(conn, msg, uri, RawJson.of("{\"total\":12.5}"));

    broker.storeResult(result, 4000);

    String list = "juggler:results:{" + conn + "}";
    String expiry = "juggler:results:timeout:{" + conn + "}:" + msg;
    assertEquals("list", jedis.type(list));
    assertEquals("4000", jedis.get(expiry));
    long pttl = jedis.pttl(expiry);
    assertTrue(pttl > 0 && pttl <= 4000, "PTTL " + pttl);
    JsonObject payload = parse(jedis.lindex(list, 0));
    assertEquals(Set.of("conn_uuid", "msg_uuid", "uri", "args"), payload.keySet());
    assertEquals(conn, payload.getString("conn_uuid"));
    assertEquals(msg, payload.getString("msg_uuid"));
    assertEquals(uri, payload.getString("uri"));
    assertEquals(parse("{\"total\":12.5}"), payload.getJsonObject("args"));

    assertEquals(Optional.of(result), broker.takeResult(conn, POP));
    assertFalse(jedis.exists(expiry));
    assertEquals(Optional.empty(), broker.takeResult(conn, SHORT_POP));
    assertEquals(List.of(), metrics.expiredResults());
  }

  @Test
  void expiredResultIsDroppedAndCounted() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String conn = Uuids.random();
    String uri = TestKeys.unique("res-expired");
    CallPayload shortLived = new CallPayload(conn, Uuids.random(), uri, RawJson.of("1"));
    CallPayload longLived = new CallPayload(conn, Uuids.random(), uri, RawJson.of("2"));
    broker.storeResult(shortLived, 30);
    broker.storeResult(longLived, 10_000);
    String expiry = "juggler:results:timeout:{" + conn + "}:" + shortLived.msgUuid();
    await("expiry key of the short result gone").atMost(AWAIT).until(() -> !jedis.exists(expiry));

    assertEquals(Optional.empty(), broker.takeResult(conn, POP));
    assertEquals(List.of(uri), metrics.expiredResults());
    assertEquals(Optional.of(longLived), broker.takeResult(conn, POP));
    assertEquals(List.of(uri), metrics.expiredResults());
  }

  @Test
  void resultWithNonPositiveTtlLivesOneMillisecondNotTheSixtySecondFallback() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String conn = Uuids.random();
    String uri = TestKeys.unique("res-ttl0");
    CallPayload zero = new CallPayload(conn, Uuids.random(), uri, RawJson.of("0"));
    CallPayload negative = new CallPayload(conn, Uuids.random(), uri, RawJson.of("-1"));
    CallPayload live = new CallPayload(conn, Uuids.random(), uri, RawJson.of("1"));

    // the live one first: the list then keeps its 10 s expiry (the longest of its entries'),
    // where a list holding only 1 ms entries may be gone before the next one is stored
    broker.storeResult(live, 10_000);
    broker.storeResult(zero, 0); // a TTL of 0 would make SET … PX fail: 1 ms is used
    broker.storeResult(negative, -25);
    assertEquals(3, jedis.llen("juggler:results:{" + conn + "}"));
    for (CallPayload p : List.of(zero, negative)) {
      String expiry = "juggler:results:timeout:{" + conn + "}:" + p.msgUuid();
      await("expiry key of " + p.args() + " gone within a second")
          .atMost(Duration.ofSeconds(1))
          .until(() -> !jedis.exists(expiry));
    }

    assertEquals(Optional.of(live), broker.takeResult(conn, POP));
    assertEquals(Optional.empty(), broker.takeResult(conn, POP));
    assertEquals(Optional.empty(), broker.takeResult(conn, POP));
    assertEquals(List.of(uri, uri), metrics.expiredResults());
  }

  @Test
  void invalidResultPayloadIsDroppedAndCounted() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String conn = Uuids.random();
    jedis.lpush("juggler:results:{" + conn + "}", "not json");
    CallPayload result = new CallPayload(conn, Uuids.random(), "u", null);
    broker.storeResult(result, 5000);

    assertEquals(Optional.empty(), broker.takeResult(conn, POP));
    assertEquals(1, metrics.invalidResultPayloads.get());
    assertEquals(Optional.of(result), broker.takeResult(conn, POP));
  }

  // ------------------------------------------------------------------ list expiry (14.4)

  @Test
  void newListGetsAnExpiryThatIsExtendedButNeverShortened() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String uri = TestKeys.unique("list-ttl");
    String list = "juggler:calls:{" + uri + "}";

    broker.call(new CallPayload(Uuids.random(), Uuids.random(), uri, null), 2000);
    long first = jedis.pttl(list);
    assertTrue(first > 0 && first <= 2000, "new list PTTL " + first);

    broker.call(new CallPayload(Uuids.random(), Uuids.random(), uri, null), 8000);
    long extended = jedis.pttl(list);
    assertTrue(extended > 2000 && extended <= 8000, "extended list PTTL " + extended);

    broker.call(new CallPayload(Uuids.random(), Uuids.random(), uri, null), 1000);
    long kept = jedis.pttl(list);
    assertTrue(kept > 2000 && kept <= 8000, "a shorter call must not shorten the list: " + kept);

    String conn = Uuids.random();
    String results = "juggler:results:{" + conn + "}";
    broker.storeResult(new CallPayload(conn, Uuids.random(), uri, null), 3000);
    long resultsTtl = jedis.pttl(results);
    assertTrue(resultsTtl > 0 && resultsTtl <= 3000, "new results list PTTL " + resultsTtl);
  }

  @Test
  void listWithoutExpiryNeverGetsOne() {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    String uri = TestKeys.unique("persistent");
    String list = "juggler:calls:{" + uri + "}";
    String conn = Uuids.random();
    String results = "juggler:results:{" + conn + "}";
    // written by an older peer that never sets list expiries
    jedis.lpush(list, "{\"conn_uuid\":\"\",\"msg_uuid\":\"\",\"uri\":\"" + uri + "\"}");
    jedis.lpush(results, "{\"conn_uuid\":\"" + conn + "\",\"msg_uuid\":\"\",\"uri\":\"x\"}");
    assertEquals(-1, jedis.pttl(list));

    broker.call(new CallPayload(Uuids.random(), Uuids.random(), uri, null), 5000);
    broker.storeResult(new CallPayload(conn, Uuids.random(), uri, null), 5000);

    assertEquals(2, jedis.llen(list));
    assertEquals(-1, jedis.pttl(list));
    assertEquals(2, jedis.llen(results));
    assertEquals(-1, jedis.pttl(results));
  }

  // ------------------------------------------------------------------ pub-sub (6.6, 14.1, 14.10)

  @Test
  void subscribeIsConfirmedThenEventsArrive() throws Exception {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    RecordingListener listener = new RecordingListener();
    EventSubscriber subscriber = openConnected(broker, listener);
    String channel = TestKeys.unique("chan");
    String prefix = TestKeys.unique("pat");

    subscriber.subscribe(channel, false).get(5, TimeUnit.SECONDS);
    assertEquals(1L, numSub(jedis, channel), "confirmed means Redis has the subscription");
    subscriber.subscribe(prefix + ".*", true).get(5, TimeUnit.SECONDS);
    assertEquals(List.of(true), listener.changes());

    PubPayload plain = new PubPayload(Uuids.random(), RawJson.of("{\"text\":\"hi all\"}"));
    broker.publish(channel, plain);
    await().atMost(AWAIT).until(() -> listener.events.size() == 1);
    assertEquals(new Event(channel, null, plain), listener.events.peek());

    PubPayload noArgs = new PubPayload(Uuids.random(), null);
    broker.publish(prefix + ".x", noArgs);
    await().atMost(AWAIT).until(() -> listener.events.size() == 2);
    assertEquals(new Event(prefix + ".x", prefix + ".*", noArgs), listener.last());
    assertEquals(0, metrics.invalidEventPayloads.get());
  }

  @Test
  void foreignPublicationsInThePubFormatAreDelivered() throws Exception {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    RecordingListener listener = new RecordingListener();
    EventSubscriber subscriber = openConnected(broker, listener);
    String channel = TestKeys.unique("foreign");
    subscriber.subscribe(channel, false).get(5, TimeUnit.SECONDS);

    jedis.publish(channel, "{}");
    jedis.publish(channel, "{\"msg_uuid\":\"abc\",\"args\":[1,2],\"extra\":true}");
    await().atMost(AWAIT).until(() -> listener.events.size() == 2);
    List<Event> events = List.copyOf(listener.events);
    assertEquals(new Event(channel, null, new PubPayload("", null)), events.get(0));
    assertEquals(
        new Event(channel, null, new PubPayload("abc", RawJson.of("[1,2]"))), events.get(1));
  }

  @Test
  void subscriptionsAreReferenceCounted() throws Exception {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    RecordingListener listener = new RecordingListener();
    EventSubscriber subscriber = openConnected(broker, listener);
    String channel = TestKeys.unique("refs");
    String marker = TestKeys.unique("marker");
    subscriber.subscribe(marker, false).get(5, TimeUnit.SECONDS);

    subscriber.subscribe(channel, false).get(5, TimeUnit.SECONDS);
    subscriber.subscribe(channel, false).get(5, TimeUnit.SECONDS);
    assertEquals(1L, numSub(jedis, channel), "one Redis subscription for two references");

    subscriber.unsubscribe(channel, false);
    PubPayload stillThere = new PubPayload(Uuids.random(), RawJson.of("1"));
    broker.publish(channel, stillThere);
    await()
        .atMost(AWAIT)
        .until(() -> listener.events.contains(new Event(channel, null, stillThere)));
    assertEquals(1L, numSub(jedis, channel));

    subscriber.unsubscribe(channel, false);
    await("UNSUBSCRIBE reached Redis").atMost(AWAIT).until(() -> numSub(jedis, channel) == 0L);
    PubPayload gone = new PubPayload(Uuids.random(), RawJson.of("2"));
    broker.publish(channel, gone);
    // a later publication on the same connection proves the earlier one was not delivered
    PubPayload mark = new PubPayload(Uuids.random(), null);
    broker.publish(marker, mark);
    await().atMost(AWAIT).until(() -> listener.events.contains(new Event(marker, null, mark)));
    assertEquals(
        List.of(new Event(channel, null, stillThere), new Event(marker, null, mark)),
        List.copyOf(listener.events));

    // a name without references is ignored
    subscriber.unsubscribe(channel, false);
    assertEquals(1L, numSub(jedis, marker));
  }

  @Test
  void invalidEventPayloadIsCountedNotDelivered() throws Exception {
    RedisBroker broker = broker();
    Jedis jedis = jedis();
    RecordingListener listener = new RecordingListener();
    EventSubscriber subscriber = openConnected(broker, listener);
    String channel = TestKeys.unique("bad-events");
    subscriber.subscribe(channel, false).get(5, TimeUnit.SECONDS);

    jedis.publish(channel, "not json");
    jedis.publish(channel, "[\"an\",\"array\"]");
    PubPayload after = new PubPayload(Uuids.random(), RawJson.of("\"ok\""));
    broker.publish(channel, after);

    await().atMost(AWAIT).until(() -> !listener.events.isEmpty());
    assertEquals(List.of(new Event(channel, null, after)), List.copyOf(listener.events));
    assertEquals(2, metrics.invalidEventPayloads.get());
    assertTrue(subscriber.isConnected(), "bad data does not break the connection");
  }

  // ------------------------------------------------------------------ Redis unreachable

  @Test
  void unreachableRedisFailsFastWithBrokerUnavailable() throws Exception {
    int port = unusedPort();
    RedisSettings settings =
        new RedisSettings(
            List.of(URI.create("redis://127.0.0.1:" + port)),
            List.of(URI.create("redis://127.0.0.1:" + port)),
            false,
            2,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            0,
            0,
            false);
    RedisBroker broker = broker(settings);
    CallPayload call = new CallPayload(Uuids.random(), Uuids.random(), "nobody.x", null);

    BrokerUnavailableException callFailure =
        assertThrows(BrokerUnavailableException.class, () -> broker.call(call, 5000));
    assertTrue(callFailure.getMessage().startsWith("redis unavailable"), callFailure.getMessage());
    BrokerUnavailableException pubFailure =
        assertThrows(
            BrokerUnavailableException.class,
            () -> broker.publish("chan", new PubPayload(Uuids.random(), null)));
    assertTrue(pubFailure.getMessage().startsWith("redis unavailable"), pubFailure.getMessage());
    assertThrows(
        BrokerUnavailableException.class, () -> broker.takeCall(List.of("nobody.x"), SHORT_POP));
    assertThrows(BrokerUnavailableException.class, () -> broker.storeResult(call, 5000));
    assertThrows(
        BrokerUnavailableException.class, () -> broker.takeResult(call.connUuid(), SHORT_POP));
    assertThrows(BrokerUnavailableException.class, broker::ping);
    assertTrue(metrics.redisErrors.get() >= 6, "redis errors " + metrics.redisErrors.get());

    RecordingListener listener = new RecordingListener();
    EventSubscriber subscriber = closeLater(broker.openSubscriber(listener, DAEMON));
    assertFalse(subscriber.isConnected());
    CompletableFuture<Void> sub = subscriber.subscribe("chan", false);
    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> sub.get(1, TimeUnit.SECONDS));
    assertInstanceOf(BrokerUnavailableException.class, failed.getCause());
    assertTrue(
        failed.getCause().getMessage().startsWith("redis unavailable"),
        failed.getCause().getMessage());
  }

  // ------------------------------------------------------------------ helpers

  /** A daemon-thread factory for subscriber threads. */
  static final ThreadFactory DAEMON =
      r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
      };

  private EventSubscriber openConnected(RedisBroker broker, RecordingListener listener) {
    EventSubscriber subscriber = closeLater(broker.openSubscriber(listener, DAEMON));
    await("subscriber connected").atMost(AWAIT).until(subscriber::isConnected);
    await().atMost(AWAIT).until(() -> !listener.changes.isEmpty());
    return subscriber;
  }

  static long numSub(Jedis jedis, String channel) {
    Map<String, Long> counts = jedis.pubsubNumSub(channel);
    return counts.getOrDefault(channel, 0L);
  }

  static JsonObject parse(String json) {
    try (JsonReader r = Json.createReader(new StringReader(json))) {
      return r.readObject();
    }
  }

  private static String msgOf(String payload) {
    return parse(payload).getString("msg_uuid");
  }

  static int unusedPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  /** Counts what the broker reports; thread-safe. */
  static final class RecordingMetrics implements BrokerMetrics {
    final ConcurrentLinkedQueue<String> expiredCalls = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> expiredResults = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> cancelledCalls = new ConcurrentLinkedQueue<>();
    final AtomicInteger invalidCallPayloads = new AtomicInteger();
    final AtomicInteger invalidResultPayloads = new AtomicInteger();
    final AtomicInteger invalidEventPayloads = new AtomicInteger();
    final AtomicInteger redisErrors = new AtomicInteger();

    List<String> expiredCalls() {
      return List.copyOf(expiredCalls);
    }

    List<String> expiredResults() {
      return List.copyOf(expiredResults);
    }

    @Override
    public void expiredCall(String uri, String msgUuid) {
      expiredCalls.add(uri);
    }

    @Override
    public void cancelledCall(String uri, String msgUuid) {
      cancelledCalls.add(msgUuid);
    }

    @Override
    public void invalidCallPayload() {
      invalidCallPayloads.incrementAndGet();
    }

    @Override
    public void expiredResult(String uri, String msgUuid) {
      expiredResults.add(uri);
    }

    @Override
    public void invalidResultPayload() {
      invalidResultPayloads.incrementAndGet();
    }

    @Override
    public void invalidEventPayload() {
      invalidEventPayloads.incrementAndGet();
    }

    @Override
    public void redisError() {
      redisErrors.incrementAndGet();
    }
  }

  /** One delivered event. */
  record Event(String channel, String pattern, PubPayload payload) {}

  /** One connection state change. */
  record Change(boolean connected, Throwable cause) {}

  /** Records events and connection changes; thread-safe. */
  static final class RecordingListener implements EventListener {
    final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Change> changes = new ConcurrentLinkedQueue<>();

    @Override
    public void onEvent(String channel, String pattern, PubPayload payload) {
      events.add(new Event(channel, pattern, payload));
    }

    @Override
    public void onConnectionChange(boolean connected, Throwable cause) {
      LOG.fine(() -> "connection change: " + connected + " " + cause);
      changes.add(new Change(connected, cause));
    }

    List<Boolean> changes() {
      return changes.stream().map(Change::connected).toList();
    }

    /** The last event. */
    Event last() {
      Event last = null;
      for (Event e : events) {
        last = e;
      }
      return last;
    }
  }

  /** A plain Jedis subscriber on one node, recording raw messages; for layout checks. */
  static final class RawSubscriber implements AutoCloseable {
    final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
    private final Jedis jedis;
    private final JedisPubSub pubsub;
    private final Thread thread;

    RawSubscriber(HostAndPort node, String channel) throws InterruptedException {
      CountDownLatch subscribed = new CountDownLatch(1);
      jedis = new Jedis(node, RedisProcess.clientConfig());
      pubsub =
          new JedisPubSub() {
            @Override
            public void onSubscribe(String ch, int count) {
              subscribed.countDown();
            }

            @Override
            public void onMessage(String ch, String message) {
              messages.add(message);
            }
          };
      thread =
          DAEMON.newThread(
              () -> {
                try {
                  jedis.subscribe(pubsub, channel);
                } catch (RuntimeException e) {
                  LOG.log(Level.FINE, "raw subscriber ended", e);
                }
              });
      thread.start();
      if (!subscribed.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("raw subscription to " + channel + " not confirmed");
      }
    }

    @Override
    public void close() throws InterruptedException {
      try {
        if (pubsub.isSubscribed()) {
          pubsub.unsubscribe();
        }
      } finally {
        thread.join(5_000);
        jedis.close();
      }
    }
  }
}
