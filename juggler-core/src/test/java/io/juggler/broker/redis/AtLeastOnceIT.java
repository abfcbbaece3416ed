package io.juggler.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.ReceivedCall;
import io.juggler.broker.redis.RedisBrokerIT.RecordingMetrics;
import io.juggler.message.CallPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import io.juggler.testing.RedisExtension;
import io.juggler.testing.TestKeys;
import io.juggler.testing.redis.RedisProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;

/**
 * At-least-once calls on a real Redis: claims into a worker's processing list, finishing, leases,
 * and the reaper returning the calls of a dead owner to the queue while their time remains. The
 * at-most-once layout is checked to stay untouched.
 */
@ExtendWith(RedisExtension.class)
class AtLeastOnceIT {

  private static final Duration LEASE = Duration.ofSeconds(1);
  private static final Duration POP = Duration.ofMillis(500);

  private RedisProcess redis;
  private RedisBroker broker;
  private Jedis jedis;
  private RecordingMetrics metrics;
  private String uri;

  @BeforeEach
  void setUp(RedisProcess redis) {
    this.redis = redis;
    metrics = new RecordingMetrics();
    broker = new RedisBroker(RedisSettings.standalone(URI.create(redis.url())), metrics);
    jedis = redis.jedis();
    uri = TestKeys.unique("alo");
  }

  @AfterEach
  void tearDown() {
    broker.close();
    jedis.close();
  }

  private CallPayload queue(long ttlMillis) {
    CallPayload p = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("1"));
    broker.call(p, ttlMillis);
    return p;
  }

  @Test
  void aClaimedCallStaysInTheProcessingListWithItsExpiryKeyUntilFinished() {
    CallPayload p = queue(10_000);
    ReceivedCall c = broker.claimCall(uri, "a-0", LEASE, POP).orElseThrow();
    assertEquals(p, c.payload());
    assertEquals(1, c.attempt());
    assertTrue(c.ttlMillis() > 9_000 && c.ttlMillis() <= 10_000, "ttl " + c.ttlMillis());
    String processing = RedisKeys.processing(uri, "a-0");
    assertEquals(List.of(c.raw()), jedis.lrange(processing, 0, -1));
    assertEquals(0, jedis.llen(RedisKeys.calls(uri)));
    assertTrue(jedis.exists(RedisKeys.callTimeout(uri, p.msgUuid())), "expiry key kept");
    assertTrue(jedis.pttl(processing) > 0, "a processing list expires by itself");
    assertTrue(jedis.zscore(RedisKeys.leases(uri), "a-0") != null, "the claim renews the lease");
    // the owners outlive the claimed call by two leases, then go by themselves
    long owners = jedis.pttl(RedisKeys.leases(uri));
    long call = jedis.pttl(RedisKeys.callTimeout(uri, p.msgUuid()));
    assertTrue(
        owners > call + LEASE.toMillis() && owners <= call + 2 * LEASE.toMillis() + 100,
        "leases pttl " + owners + ", call pttl " + call);
    broker.renewLeases(uri, List.of("a-0"), LEASE);
    assertTrue(jedis.pttl(RedisKeys.leases(uri)) > call, "a renewal never shortens it");

    broker.finishCall(c, "a-0");
    assertFalse(jedis.exists(processing));
    assertFalse(jedis.exists(RedisKeys.callTimeout(uri, p.msgUuid())));
    assertFalse(jedis.exists(RedisKeys.callAttempts(uri, p.msgUuid())));
    // a retry of the CALL with the same uuid is a new call again
    broker.call(p, 1_000);
  }

  @Test
  void whileTheCallRunsAClientRetryWithTheSameUuidIsADuplicate() {
    CallPayload p = queue(10_000);
    broker.claimCall(uri, "a-0", LEASE, POP).orElseThrow();
    org.junit.jupiter.api.Assertions.assertThrows(
        io.juggler.broker.DuplicateCallException.class, () -> broker.call(p, 10_000));
  }

  @Test
  void aCallMovedByALostReplyIsClaimedFirstByTheSameOwner() {
    CallPayload first = queue(10_000);
    CallPayload second = queue(10_000);
    // what a BLMOVE whose reply never arrived leaves behind (e.g. Redis frozen, socket timed out)
    jedis.lmove(
        RedisKeys.calls(uri),
        RedisKeys.processing(uri, "a-0"),
        ListDirection.RIGHT,
        ListDirection.LEFT);
    ReceivedCall c = broker.claimCall(uri, "a-0", LEASE, POP).orElseThrow();
    assertEquals(first, c.payload());
    broker.finishCall(c, "a-0");
    assertEquals(second, broker.claimCall(uri, "a-0", LEASE, POP).orElseThrow().payload());
  }

  @Test
  void theReaperReturnsTheCallsOfAnOwnerWhoseLeaseExpiredAndTheAttemptCounts() throws Exception {
    CallPayload p = queue(30_000);
    CallPayload expiring = queue(400);
    ReceivedCall c = broker.claimCall(uri, "dead-0", LEASE, POP).orElseThrow();
    assertEquals(p, c.payload());
    assertEquals(expiring, broker.claimCall(uri, "dead-1", LEASE, POP).orElseThrow().payload());
    assertEquals(List.of(), broker.renewLeases(uri, List.of("live-0"), LEASE));
    long owners = jedis.pttl(RedisKeys.leases(uri));
    assertTrue(owners > 0 && owners <= 30_000 + 2 * LEASE.toMillis(), "leases pttl " + owners);
    assertEquals(Optional.empty(), broker.claimCall(uri, "live-0", LEASE, Duration.ofSeconds(1)));
    // the dead owners renew nothing: their leases run out, and so does the short call
    Thread.sleep(LEASE.toMillis() + 100);
    assertEquals(
        Set.of("dead-0", "dead-1"), Set.copyOf(broker.renewLeases(uri, List.of("live-0"), LEASE)));
    assertEquals(1, broker.reap(uri, "dead-0", false), "the live call is requeued");
    assertEquals(0, broker.reap(uri, "dead-1", false), "the expired one is dropped");
    assertFalse(jedis.exists(RedisKeys.processing(uri, "dead-0")));
    assertFalse(jedis.exists(RedisKeys.processing(uri, "dead-1")));
    assertEquals(Set.of("live-0"), Set.copyOf(jedis.zrange(RedisKeys.leases(uri), 0, -1)));
    assertTrue(jedis.pttl(RedisKeys.calls(uri)) > 0, "the requeued list expires");

    ReceivedCall again = broker.claimCall(uri, "live-0", LEASE, POP).orElseThrow();
    assertEquals(p, again.payload());
    assertEquals(2, again.attempt(), "second delivery");
    broker.finishCall(again, "live-0");
    // the dead owner's own finish, had it come back late, changes nothing
    broker.finishCall(c, "dead-0");
    assertEquals(0, jedis.llen(RedisKeys.calls(uri)));
  }

  @Test
  void anUnfinishedCallIsClaimedAgainByItsOwnerAsTheNextAttempt() {
    CallPayload p = queue(10_000);
    assertEquals(1, broker.claimCall(uri, "a-0", LEASE, POP).orElseThrow().attempt());
    // not finished (say the finish failed): the owner's next claim takes it again
    ReceivedCall again = broker.claimCall(uri, "a-0", LEASE, POP).orElseThrow();
    assertEquals(p, again.payload());
    assertEquals(2, again.attempt());
  }

  @Test
  void aLiveLeaseIsNotReapedButAStoppingOwnerHandsBackItsCalls() {
    CallPayload p = queue(10_000);
    broker.claimCall(uri, "a-0", LEASE, POP).orElseThrow();
    assertEquals(-1, broker.reap(uri, "a-0", false));
    assertEquals(1, jedis.llen(RedisKeys.processing(uri, "a-0")));
    assertEquals(1, broker.reap(uri, "a-0", true));
    assertEquals(p, broker.claimCall(uri, "b-0", LEASE, POP).orElseThrow().payload());
  }

  @Test
  void anExpiredCallIsDroppedAtClaimAndCounted() throws Exception {
    queue(50);
    CallPayload live = queue(10_000); // keeps the list (it expires with its longest entry)
    Thread.sleep(120);
    assertEquals(Optional.empty(), broker.claimCall(uri, "a-0", LEASE, POP));
    assertEquals(List.of(uri), metrics.expiredCalls());
    assertFalse(jedis.exists(RedisKeys.processing(uri, "a-0")));
    assertEquals(live, broker.claimCall(uri, "a-0", LEASE, POP).orElseThrow().payload());
  }

  @Test
  void aBlockedClaimTakesACallQueuedWhileItWaits() throws Exception {
    CallPayload[] queued = new CallPayload[1];
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                return;
              }
              queued[0] = queue(10_000);
            });
    t.start();
    ReceivedCall c = broker.claimCall(uri, "a-0", LEASE, Duration.ofSeconds(3)).orElseThrow();
    t.join();
    assertEquals(queued[0], c.payload());
  }
}
