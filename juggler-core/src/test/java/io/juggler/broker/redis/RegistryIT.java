package io.juggler.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.QueueInfo;
import io.juggler.broker.QueueScan;
import io.juggler.message.CallPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import io.juggler.registry.AuditLog;
import io.juggler.registry.ExpiredCall;
import io.juggler.registry.ExpiredRecord;
import io.juggler.registry.InstanceControl;
import io.juggler.registry.InstanceRegistry;
import io.juggler.registry.InstanceState;
import io.juggler.registry.RegisteredInstance;
import io.juggler.testing.RedisExtension;
import io.juggler.testing.TestKeys;
import io.juggler.testing.redis.RedisProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.SetParams;

/**
 * The registry's roles on Redis ({@link RedisInstances}, {@link RedisControl}, {@link
 * RedisExpiredRecord}, {@link RedisAuditLog}) and the queue scan and purge ({@link RedisQueues})
 * against the shared real Redis: every key they write and read.
 */
@ExtendWith(RedisExtension.class)
class RegistryIT {

  private RedisProcess redis;
  private RedisClients clients;
  private RedisBroker broker;
  private RedisInstances registry;
  private RedisControl control;
  private RedisExpiredRecord expired;
  private RedisAuditLog audit;
  private RedisQueues queues;

  @BeforeEach
  void setUp(RedisProcess redis) {
    this.redis = redis;
    clients =
        new RedisClients(RedisSettings.standalone(URI.create(redis.url())), BrokerMetrics.NONE);
    broker = new RedisBroker(clients);
    registry = new RedisInstances(clients);
    control = new RedisControl(clients);
    expired = new RedisExpiredRecord(clients);
    audit = new RedisAuditLog(clients);
    queues = new RedisQueues(clients);
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  /** A state published every 10 s (it lives 30 s). */
  static InstanceState state(String id, int connections) {
    return state(id, connections, Duration.ofSeconds(10));
  }

  static InstanceState state(String id, int connections, Duration interval) {
    List<InstanceState.ConnectionInfo> conns =
        java.util.stream.IntStream.range(0, connections)
            .mapToObj(
                i ->
                    new InstanceState.ConnectionInfo(
                        "c" + i,
                        "127.0.0.1:" + (1000 + i),
                        "test-agent",
                        1_000L,
                        3,
                        4,
                        1,
                        2,
                        "user" + i))
            .toList();
    return new InstanceState(
        id,
        "host",
        1_000L,
        System.currentTimeMillis(),
        interval.toMillis(),
        true,
        false,
        connections,
        conns,
        1,
        List.of(new InstanceState.SubscriptionCount("news", false, 2)),
        Map.of(InstanceState.Counters.CALLS, 7L),
        1234,
        List.of(new InstanceState.UriStats("a.b", 8, 10, 1, 2, 300, 900)));
  }

  @Test
  void publishedStateIsReadBackAndExpiresWithItsTtl() {
    String id = TestKeys.unique("instance");
    registry.publish(state(id, 3, Duration.ofMillis(200)));
    InstanceState read =
        registry.instances().stream()
            .filter(s -> s.id().equals(id))
            .findFirst()
            .orElseThrow()
            .state();
    assertEquals(3, read.connections().size());
    assertEquals("127.0.0.1:1001", read.connections().get(1).remoteAddress());
    assertEquals(7, read.counter(InstanceState.Counters.CALLS));
    assertEquals(900, read.uris().get(0).p99Micros());
    assertEquals("news", read.subscriptions().get(0).name());

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> registry.instances().stream().noneMatch(s -> s.id().equals(id)));
  }

  /**
   * With a 1 s interval a state lives 3 s and is silent from 2 s after its last write (see {@link
   * InstanceRegistry#silentAfter}): long enough a window to see on a loaded machine, short enough a
   * test.
   */
  @Test
  void aStateNoLongerRefreshedTurnsSilentAndIsLiveAgainOncePublished() {
    String id = TestKeys.unique("instance");
    Duration interval = Duration.ofSeconds(1);
    long silentAfter = InstanceRegistry.silentAfter(interval).toMillis();
    registry.publish(state(id, 2, interval));
    RegisteredInstance fresh = find(id).orElseThrow();
    assertTrue(fresh.live(), fresh.toString());
    assertTrue(fresh.sinceWriteMillis() < interval.toMillis(), fresh.toString());

    RegisteredInstance silent =
        await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> find(id).orElseThrow(), RegisteredInstance::silent);
    assertTrue(silent.sinceWriteMillis() > silentAfter, silent.toString());
    assertTrue(silent.lastWriteAt() <= silent.readAt() - silentAfter, silent.toString());
    assertEquals(2, silent.state().connectionCount()); // still readable, as last published

    registry.publish(state(id, 2, interval));
    RegisteredInstance again = find(id).orElseThrow();
    assertTrue(again.live(), again.toString());
    assertTrue(again.sinceWriteMillis() < interval.toMillis(), again.toString());
    registry.forget(id);
  }

  /** An instance of an earlier version publishes no interval: it is never judged silent. */
  @Test
  void aStateWithoutItsIntervalIsNeverSilent() {
    String id = TestKeys.unique("instance");
    String json =
        jakarta.json.bind.JsonbBuilder.create()
            .toJson(state(id, 0))
            .replaceAll("\"intervalMillis\":\\d+,?", "");
    assertFalse(json.contains("intervalMillis"), json);
    try (Jedis j = redis.jedis()) {
      j.set(RedisKeys.registryInstance(id), json, SetParams.setParams().px(2_000));
      j.zadd(RedisKeys.REGISTRY_INSTANCES, System.currentTimeMillis(), id);
    }
    RegisteredInstance read = find(id).orElseThrow();
    assertEquals(0, read.state().intervalMillis());
    assertTrue(read.live(), read.toString());
    assertEquals(-1, read.sinceWriteMillis());
    assertEquals(read.state().publishedAt(), read.lastWriteAt());
    registry.forget(id);
  }

  private Optional<RegisteredInstance> find(String id) {
    return registry.instances().stream().filter(s -> s.id().equals(id)).findFirst();
  }

  @Test
  void publishTellsWhichDetailsAConsoleWatches() {
    String id = TestKeys.unique("instance");
    try (Jedis j = redis.jedis()) {
      j.del(RedisKeys.REGISTRY_WATCH_CONNECTIONS, RedisKeys.REGISTRY_WATCH_SUBSCRIPTIONS);
    }
    assertEquals(new InstanceRegistry.Watched(false, false), registry.publish(state(id, 0)));
    registry.watchConnections(Duration.ofMillis(300));
    assertEquals(new InstanceRegistry.Watched(true, false), registry.publish(state(id, 0)));
    registry.watchSubscriptions(Duration.ofSeconds(5));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> registry.publish(state(id, 0)).equals(new InstanceRegistry.Watched(false, true)));
    registry.forget(id);
  }

  @Test
  void watchingSaysWhetherItIsNewAndWatchedReadsBoth() {
    try (Jedis j = redis.jedis()) {
      j.del(RedisKeys.REGISTRY_WATCH_CONNECTIONS, RedisKeys.REGISTRY_WATCH_SUBSCRIPTIONS);
    }
    assertEquals(new InstanceRegistry.Watched(false, false), registry.watched());
    assertTrue(registry.watchConnections(Duration.ofSeconds(5)), "nobody watched before");
    assertFalse(registry.watchConnections(Duration.ofSeconds(5)), "renewed, not new");
    assertEquals(new InstanceRegistry.Watched(true, false), registry.watched());
    assertTrue(registry.watchSubscriptions(Duration.ofSeconds(5)));
    assertEquals(new InstanceRegistry.Watched(true, true), registry.watched());
  }

  @Test
  void publicationRequestReachesEveryRegisteredInstance() {
    String a = TestKeys.unique("instance-a");
    String b = TestKeys.unique("instance-b");
    registry.publish(state(a, 0));
    registry.publish(state(b, 0));
    List<String> asked = control.requestPublication("ops");
    assertTrue(asked.containsAll(List.of(a, b)), asked.toString());
    InstanceControl.Command publish = new InstanceControl.Command("publish", null, "ops");
    assertEquals(Optional.of(publish), control.awaitCommand(a, Duration.ofSeconds(1)));
    assertEquals(Optional.of(publish), control.awaitCommand(b, Duration.ofSeconds(1)));
    registry.forget(a);
    registry.forget(b);
  }

  @Test
  void forgetRemovesAnInstanceAtOnce() {
    String id = TestKeys.unique("instance");
    registry.publish(state(id, 0));
    assertTrue(registry.instances().stream().anyMatch(s -> s.id().equals(id)));
    registry.forget(id);
    assertTrue(registry.instances().stream().noneMatch(s -> s.id().equals(id)));
  }

  @Test
  void expiredCallsAreCountedByStageAndListedNewestFirst() {
    Map<String, Long> before = expired.expiredCounts();
    String uri = TestKeys.unique("uri");
    record(
        List.of(
            new ExpiredCall(uri, "m1", ExpiredCall.Stage.QUEUE, 1, "i"),
            new ExpiredCall(uri, "m2", ExpiredCall.Stage.QUEUE, 2, "i"),
            new ExpiredCall(uri, "m3", ExpiredCall.Stage.ABANDONED, 3, "i")));
    Map<String, Long> after = expired.expiredCounts();
    assertEquals(before.get("queue") + 2, after.get("queue"));
    assertEquals(before.get("abandoned") + 1, after.get("abandoned"));
    assertEquals(before.get("result"), after.get("result"));
    List<ExpiredCall> recent = expired.recentExpired(3);
    assertEquals(List.of("m3", "m2", "m1"), recent.stream().map(ExpiredCall::msgUuid).toList());
    assertEquals(uri, recent.get(0).uri());
  }

  @Test
  void recentExpiredListIsBounded() {
    List<ExpiredCall> many =
        java.util.stream.IntStream.range(0, ExpiredRecord.RECENT_EXPIRED + 50)
            .mapToObj(i -> new ExpiredCall("u", "m" + i, "queue", i, "i"))
            .toList();
    record(many);
    try (Jedis j = redis.jedis()) {
      assertEquals(ExpiredRecord.RECENT_EXPIRED, j.llen(RedisKeys.REGISTRY_EXPIRED_RECENT));
    }
    assertEquals("m" + (many.size() - 1), expired.recentExpired(1).get(0).msgUuid());
  }

  @Test
  void everyRegistryKeyExpiresOnItsOwnOnceNobodyWritesIt() {
    String id = TestKeys.unique("instance");
    registry.publish(state(id, 1, Duration.ofSeconds(1)));
    record(List.of(new ExpiredCall("u", "m", ExpiredCall.Stage.QUEUE, 1, id)));
    audit.audit(new AuditLog.Entry(1, "ops", "purge", "q", "0 entries"));
    try (Jedis j = redis.jedis()) {
      for (String key : j.keys(RedisKeys.REGISTRY_PREFIX + "*")) {
        long ttl = j.pttl(key);
        assertTrue(ttl > 0, key + " never expires");
        assertTrue(ttl <= RegistryLists.HISTORY_KEPT.toMillis(), key + " " + ttl);
      }
      long index = j.pttl(RedisKeys.REGISTRY_INSTANCES);
      assertTrue(index > 0 && index <= 3_000, "instance index ttl " + index);
    }
  }

  @Test
  void auditEntriesAreKeptNewestFirst() {
    String target = TestKeys.unique("target");
    audit.audit(new AuditLog.Entry(1, "ops", "purge", target + "-1", "2 entries"));
    audit.audit(new AuditLog.Entry(2, "ops", "disconnect", target + "-2", "sent"));
    List<AuditLog.Entry> recent = audit.recentAudit(2);
    assertEquals(target + "-2", recent.get(0).target());
    assertEquals("purge", recent.get(1).action());
  }

  @Test
  void disconnectRequestReachesTheNamedInstanceOnly() {
    String id = TestKeys.unique("instance");
    String other = TestKeys.unique("other");
    control.requestDisconnect(id, "conn-1", "admin");
    assertEquals(Optional.empty(), control.awaitCommand(other, Duration.ofMillis(100)));
    InstanceControl.Command c = control.awaitCommand(id, Duration.ofSeconds(1)).orElseThrow();
    assertEquals(new InstanceControl.Command("disconnect", "conn-1", "admin"), c);
    assertEquals(Optional.empty(), control.awaitCommand(id, Duration.ofMillis(100)));
  }

  @Test
  void queuesShowDepthAndOldestAgeAndCanBePurged() {
    String uri = TestKeys.unique("queue.uri");
    String conn = Uuids.random();
    String oldest = Uuids.random();
    broker.call(new CallPayload(conn, oldest, uri, RawJson.of("1")), 60_000);
    try (Jedis j = redis.jedis()) {
      // as if it had waited 1 s: its expiry key has 59 s of its 60 s left
      j.pexpire(RedisKeys.callTimeout(uri, oldest), 59_000);
    }
    broker.call(new CallPayload(conn, Uuids.random(), uri, RawJson.of("2")), 60_000);
    broker.storeResult(new CallPayload(conn, Uuids.random(), uri, RawJson.of("3")), 60_000);

    QueueScan scan = queues.queues(1_000, 1_000);
    assertTrue(scan.complete());
    QueueInfo calls = find(scan, RedisKeys.calls(uri));
    assertEquals(QueueInfo.CALLS, calls.kind());
    assertEquals(uri, calls.name());
    assertEquals(2, calls.depth());
    assertTrue(
        calls.oldestAgeMillis() >= 1_000 && calls.oldestAgeMillis() < 30_000, calls.toString());
    QueueInfo results = find(scan, RedisKeys.results(conn));
    assertEquals(QueueInfo.RESULTS, results.kind());
    assertEquals(conn, results.name());
    assertEquals(1, results.depth());

    assertEquals(2, queues.purge(RedisKeys.calls(uri)));
    assertTrue(
        queues.queues(1_000, 1_000).queues().stream()
            .noneMatch(q -> q.key().equals(RedisKeys.calls(uri))));
    assertThrows(IllegalArgumentException.class, () -> queues.purge("some:other:key"));
  }

  @Test
  void anEntryWhoseExpiryKeyIsGoneHasNoAge() {
    String uri = TestKeys.unique("queue.expired");
    try (Jedis j = redis.jedis()) {
      // an entry whose expiry key has gone (as after its time-to-live), then a live one
      j.lpush(
          RedisKeys.calls(uri),
          io.juggler.message.JsonCodec.encodeCallPayload(
              new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("1"))));
    }
    broker.call(new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("2")), 60_000);
    QueueInfo q = find(queues.queues(1_000, 1_000), RedisKeys.calls(uri));
    assertEquals(2, q.depth());
    assertEquals(-1, q.oldestAgeMillis());
  }

  @Test
  void scanStopsAtItsKeyBudget() {
    try (Jedis j = redis.jedis()) {
      String tag = TestKeys.unique("budget");
      for (int i = 0; i < 30; i++) {
        j.lpush("juggler:calls:{" + tag + "." + i + "}", "x");
      }
    }
    QueueScan scan = queues.queues(10, 1);
    assertFalse(scan.complete());
    assertEquals(1, scan.rounds());
  }

  /**
   * A pipeline whose sync fails (its connection was cut by Redis) returns its connection to the
   * pool: with a pool of 2, three such failures in a row and then ten more publications all
   * succeed. A leaked connection per failure would exhaust the pool at the third.
   */
  @Test
  void aFailedPipelineGivesItsConnectionBack() {
    RedisSettings two =
        new RedisSettings(
            List.of(URI.create(redis.url())),
            List.of(URI.create(redis.url())),
            false,
            2,
            Duration.ofMillis(500),
            Duration.ofSeconds(2),
            0,
            0,
            false);
    try (RedisClients small = new RedisClients(two, BrokerMetrics.NONE)) {
      RedisInstances r = new RedisInstances(small);
      String id = TestKeys.unique("leak");
      r.publish(state(id, 0)); // opens pooled connections
      for (int i = 0; i < 3; i++) {
        try (Jedis j = redis.jedis()) {
          j.clientKill(
              ClientKillParams.clientKillParams()
                  .type(ClientType.NORMAL)
                  .skipMe(ClientKillParams.SkipMe.YES));
        }
        assertThrows(BrokerUnavailableException.class, () -> r.publish(state(id, 0)));
      }
      for (int i = 0; i < 10; i++) {
        r.publish(state(id, 0));
      }
      assertTrue(r.instances().stream().anyMatch(s -> s.id().equals(id)));
    }
  }

  /** Records {@code calls} the way an instance does: counts by stage, and the calls in order. */
  private void record(List<ExpiredCall> calls) {
    Map<String, Long> byStage = new java.util.LinkedHashMap<>();
    calls.forEach(c -> byStage.merge(c.stage(), 1L, Long::sum));
    expired.recordExpired(byStage, calls);
  }

  static QueueInfo find(QueueScan scan, String key) {
    return scan.queues().stream()
        .filter(q -> q.key().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError(key + " not in " + scan));
  }
}
