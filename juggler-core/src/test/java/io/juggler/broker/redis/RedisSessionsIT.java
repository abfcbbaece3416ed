package io.juggler.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.SessionBroker.Attach;
import io.juggler.broker.SessionBroker.CallRef;
import io.juggler.broker.SessionBroker.Park;
import io.juggler.broker.TakenResult;
import io.juggler.message.CallPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import io.juggler.testing.RedisExtension;
import io.juggler.testing.redis.RedisProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * {@link RedisSessions} and the session bindings of take-next.lua against a real Redis: tokens
 * checked at attach, results parked, handed over and forwarded, and a dead server's bound results
 * adopted while its unbound ones stay where they are.
 */
@ExtendWith(RedisExtension.class)
class RedisSessionsIT {

  private static final Duration WINDOW = Duration.ofMinutes(2);
  private static final Duration POP = Duration.ofSeconds(2);

  private RedisProcess redis;
  private RedisClients clients;
  private RedisBroker broker;
  private RedisSessions sessions;

  @BeforeEach
  void setUp(RedisProcess redis) {
    this.redis = redis;
    clients =
        new RedisClients(RedisSettings.standalone(URI.create(redis.url())), BrokerMetrics.NONE);
    broker = new RedisBroker(clients);
    sessions = new RedisSessions(clients, broker);
  }

  @AfterEach
  void tearDown() {
    clients.close();
  }

  private static CallPayload result(String shard, String uuid) {
    return new CallPayload(shard, uuid, "test.echo", RawJson.of("\"r-" + uuid + "\""));
  }

  @Test
  void aBoundResultIsTakenWithItsSessionAndTheBindingGoesWithIt() {
    String shard = Uuids.random();
    String bound = Uuids.random();
    String unbound = Uuids.random();
    sessions.bind(shard, bound, "s1", "test.echo", 5_000);
    broker.storeResult(result(shard, bound), 5_000);
    broker.storeResult(result(shard, unbound), 5_000);

    List<TakenResult> taken = broker.takeBoundResults(shard, POP, 10);

    assertEquals(2, taken.size());
    TakenResult first = taken.get(0);
    assertEquals(bound, first.result().msgUuid());
    assertEquals("s1", first.session());
    assertTrue(first.ttlMillis() > 0 && first.ttlMillis() <= 5_000, "ttl " + first.ttlMillis());
    assertNull(taken.get(1).session());
    assertTrue(first.held(), "a bound result is held until settled");
    assertFalse(taken.get(1).held());
    try (Jedis j = redis.jedis()) {
      assertFalse(j.exists(RedisKeys.sessionCalls(shard)), "binding deleted with its result");
      assertEquals(1, j.hlen(RedisKeys.sessionHeld(shard)));
      long ttl = j.pttl(RedisKeys.sessionHeld(shard));
      assertTrue(ttl > 0 && ttl <= 5_000, "held no longer than its result lives: " + ttl);
      sessions.settled(shard, bound);
      assertFalse(j.exists(RedisKeys.sessionHeld(shard)), "settled: no longer held");
    }
  }

  /**
   * A results pump releases what it settled with its next take (take-next.lua), or on its own when
   * the take finds nothing: no round trip per result.
   */
  @Test
  void aPumpReleasesWhatItSettledWithItsNextTake() {
    String shard = Uuids.random();
    String first = Uuids.random();
    String second = Uuids.random();
    sessions.bind(shard, first, "s1", "test.echo", 5_000);
    broker.storeResult(result(shard, first), 5_000);
    assertTrue(broker.takeBoundResults(shard, POP, 10).get(0).held());
    sessions.bind(shard, second, "s1", "test.echo", 5_000);
    broker.storeResult(result(shard, second), 5_000);
    try (Jedis j = redis.jedis()) {
      List<TakenResult> next = broker.takeBoundResults(shard, POP, 10, List.of(first));
      assertEquals(second, next.get(0).result().msgUuid());
      assertEquals(java.util.Set.of(second), j.hkeys(RedisKeys.sessionHeld(shard)));
      // nothing to take: released all the same
      assertEquals(
          List.of(), broker.takeBoundResults(shard, Duration.ofSeconds(1), 10, List.of(second)));
      assertFalse(j.exists(RedisKeys.sessionHeld(shard)));
    }
  }

  /**
   * Scenario 4 of the fault suite lost the result a server had taken and not yet delivered, or
   * delivered but not yet remembered, when it was SIGKILLed: Redis now holds it until the server
   * settles it, and whoever adopts the dead shard routes it again.
   */
  @Test
  void aResultItsServerTookButNeverSettledIsAdoptedWithItsShard() {
    String dead = Uuids.random();
    Duration silence = Duration.ofSeconds(5);
    String unsettled = Uuids.random();
    String settled = Uuids.random();
    sessions.bind(dead, unsettled, "s5", "test.echo", 5_000);
    sessions.bind(dead, settled, "s6", "test.echo", 5_000);
    broker.storeResult(result(dead, unsettled), 5_000);
    broker.storeResult(result(dead, settled), 5_000);
    assertEquals(2, broker.takeBoundResults(dead, POP, 10).size());
    sessions.settled(dead, settled);
    sessions.release(List.of(dead)); // the server that took them is gone

    List<TakenResult> adopted = sessions.adopt(dead, 10, silence);

    assertEquals(1, adopted.size(), adopted.toString());
    TakenResult r = adopted.get(0);
    assertEquals(result(dead, unsettled), r.result());
    assertEquals("s5", r.session());
    assertTrue(r.ttlMillis() > 0 && r.ttlMillis() <= 5_000, "ttl " + r.ttlMillis());
    assertFalse(r.held(), "the adopter settles nothing: the script took it out");
    assertNull(sessions.adopt(dead, 10, silence), "taken once");
    assertFalse(sessions.deadShards(silence).contains(dead));
  }

  @Test
  void attachChecksSecretAndIdentityAndHandsOverParkedResults() {
    String id = Uuids.random();
    sessions.create(id, "hash-1", "alice", "owner-a", "shard-a", WINDOW);

    assertEquals(
        Attach.Outcome.EXPIRED,
        sessions.attach(Uuids.random(), "hash-1", "alice", "b", "shard-x", WINDOW, 10).outcome());
    assertEquals(
        Attach.Outcome.INVALID,
        sessions.attach(id, "hash-2", "alice", "b", "shard-x", WINDOW, 10).outcome());
    assertEquals(
        Attach.Outcome.FOREIGN,
        sessions.attach(id, "hash-1", "mallory", "b", "shard-x", WINDOW, 10).outcome());

    // attached to owner-a: a result is to be forwarded there
    CallPayload r1 = result("shard-a", Uuids.random());
    Park p = sessions.park(id, r1, 5_000, 10, null);
    assertEquals(Park.Kind.FORWARD, p.kind());
    assertEquals("owner-a", p.owner());

    // owner-a is known to be gone: the result is parked and the owner cleared
    assertEquals(Park.Kind.PARKED, sessions.park(id, r1, 5_000, 10, "owner-a").kind());
    CallPayload r2 = result("shard-a", Uuids.random());
    assertEquals(Park.Kind.PARKED, sessions.park(id, r2, 1, 10, null).kind());

    Attach a = sessions.attach(id, "hash-1", "alice", "owner-b", "shard-x", WINDOW, 10);
    assertEquals(Attach.Outcome.RESUMED, a.outcome());
    assertEquals("", a.previousOwner());
    // r2 had 1 ms: gone by now, or handed over with what it has left
    assertTrue(a.parked().size() >= 1 && a.parked().size() <= 2, a.parked().toString());
    assertEquals(r1, a.parked().get(0).result());
    assertTrue(a.parked().get(0).ttlMillis() > 4_000);
    // remembered as delivered to owner-b, which may have died with them unread: handed over again,
    // and the attach says whom it took the session from
    Attach again = sessions.attach(id, "hash-1", "alice", "owner-c", "shard-x", WINDOW, 10);
    assertEquals(r1, again.parked().get(0).result());
    assertEquals("owner-b", again.previousOwner());
    // at most max of them
    for (int i = 0; i < 3; i++) {
      assertEquals(
          Park.Kind.PARKED,
          sessions.park(id, result("shard-a", Uuids.random()), 5_000, 10, "owner-c").kind());
    }
    Attach capped = sessions.attach(id, "hash-1", "alice", "owner-d", "shard-x", WINDOW, 2);
    assertEquals(2, capped.parked().size(), capped.parked().toString());
    assertFalse(capped.parked().stream().anyMatch(x -> x.result().equals(r1)), "oldest go first");
  }

  @Test
  void parkingIsBoundedAndEndsWithTheSession() {
    String id = Uuids.random();
    sessions.create(id, "h", "", "", "s", WINDOW);
    assertEquals(
        Park.Kind.PARKED, sessions.park(id, result("s", Uuids.random()), 5_000, 1, null).kind());
    assertEquals(
        Park.Kind.FULL, sessions.park(id, result("s", Uuids.random()), 5_000, 1, null).kind());
    assertEquals(
        Park.Kind.GONE,
        sessions.park(Uuids.random(), result("s", Uuids.random()), 5_000, 1, null).kind());
  }

  @Test
  void detachClearsOnlyItsOwnOwnership() {
    String id = Uuids.random();
    sessions.create(id, "h", "", "a", "s", WINDOW);
    sessions.detach(id, "b", Duration.ofSeconds(30));
    assertEquals(
        Park.Kind.FORWARD, sessions.park(id, result("s", Uuids.random()), 5_000, 9, null).kind());
    sessions.detach(id, "a", Duration.ofSeconds(30));
    assertEquals(
        Park.Kind.PARKED, sessions.park(id, result("s", Uuids.random()), 5_000, 9, null).kind());
    try (Jedis j = redis.jedis()) {
      long ttl = j.pttl(RedisKeys.session(id));
      assertTrue(ttl > 0 && ttl <= 30_000, "window after detach: " + ttl);
    }
  }

  /**
   * Fault scenario 7 once lost every later result of a client: a server took the connection its
   * session was being resumed on for gone and cleared the owner, and each result was parked instead
   * of sent. A server that knows the connection open and attached takes the session back.
   */
  @Test
  void aSessionWithoutOwnerIsReclaimedOnlyByAConnectionKnownToBeAttached() {
    String id = Uuids.random();
    sessions.create(id, "h", "", "a", "s", WINDOW);
    sessions.detach(id, "a", WINDOW);
    CallPayload r = result("s", Uuids.random());
    assertEquals(Park.Kind.PARKED, sessions.delivered(id, "a", r, 5_000, 9, WINDOW, false).kind());
    assertEquals(Park.Kind.KEPT, sessions.delivered(id, "a", r, 5_000, 9, WINDOW, true).kind());
    assertEquals(Park.Kind.KEPT, sessions.delivered(id, "a", r, 5_000, 9, WINDOW, false).kind());
    // another connection never takes an owned session
    Park other = sessions.delivered(id, "b", r, 5_000, 9, WINDOW, true);
    assertEquals(Park.Kind.FORWARD, other.kind());
    assertEquals("a", other.owner());
  }

  @Test
  void aForwardedResultComesOutOfTheTargetShardWithItsSession() {
    String shard = Uuids.random();
    CallPayload r = result("elsewhere", Uuids.random());
    sessions.forward(shard, "s9", r, 5_000);
    List<TakenResult> taken = broker.takeBoundResults(shard, POP, 10);
    assertEquals(1, taken.size());
    assertEquals("s9", taken.get(0).session());
    assertEquals(r.msgUuid(), taken.get(0).result().msgUuid());
    assertEquals(shard, taken.get(0).result().connUuid());
    assertEquals(r.args(), taken.get(0).result().args());
  }

  @Test
  void aDeadShardsBoundResultsAreAdoptedAndItsOthersLeftAlone() {
    String live = Uuids.random();
    String dead = Uuids.random();
    Duration silence = Duration.ofSeconds(5);
    sessions.beat(List.of(live, dead));
    assertFalse(sessions.deadShards(silence).contains(dead));
    sessions.release(List.of(dead));
    List<String> deadShards = sessions.deadShards(silence);
    assertTrue(deadShards.contains(dead), deadShards.toString());
    try (Jedis j = redis.jedis()) {
      long ttl = j.pttl(RedisKeys.SESSION_SHARDS);
      assertTrue(ttl > 0 && ttl <= 15_000, "the set goes when no server beats: " + ttl);
    }
    assertFalse(deadShards.contains(live));

    String bound = Uuids.random();
    String unbound = Uuids.random();
    sessions.bind(dead, bound, "s7", "test.echo", 5_000);
    broker.storeResult(result(dead, unbound), 5_000);
    broker.storeResult(result(dead, bound), 5_000);

    List<TakenResult> adopted = sessions.adopt(dead, 10, silence);
    assertEquals(1, adopted.size());
    assertEquals(bound, adopted.get(0).result().msgUuid());
    assertEquals("s7", adopted.get(0).session());
    assertTrue(adopted.get(0).ttlMillis() > 0);
    try (Jedis j = redis.jedis()) {
      assertEquals(1, j.llen(RedisKeys.results(dead)), "the unbound result stays");
    }
    // nothing bound is left: the shard is forgotten
    assertNull(sessions.adopt(dead, 10, silence));
    assertFalse(sessions.deadShards(silence).contains(dead));
  }

  @Test
  void aSessionFindsItsPendingCallsOnEveryShardItUsedAndNoOneElsesCalls() {
    String id = Uuids.random();
    String first = Uuids.random();
    String second = Uuids.random();
    sessions.create(id, "h", "", "a", first, WINDOW);
    sessions.bind(first, "c1", id, "orders.quote", 5_000);
    sessions.attach(id, "h", "", "b", second, WINDOW, 10);
    sessions.bind(second, "c2", id, "orders.place", 5_000);
    sessions.bind(second, "c3", "someone-else", "orders.place", 5_000);

    assertEquals(new CallRef(first, "orders.quote"), sessions.findCall(id, "c1").orElseThrow());
    assertEquals(new CallRef(second, "orders.place"), sessions.findCall(id, "c2").orElseThrow());
    assertTrue(sessions.findCall(id, "c3").isEmpty(), "another session's call");
    assertTrue(sessions.findCall(Uuids.random(), "c1").isEmpty(), "no such session");
  }
}
