package io.juggler.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.testing.redis.RedisProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * {@link GroupCommit} against a real Redis of its own, which it freezes (SIGSTOP) to hold a round
 * trip while other callers queue up behind it: they go to Redis together in the next one, each with
 * its own reply or error, and a lost round trip fails every call in it without leaving anyone
 * parked.
 */
class GroupCommitIT {

  private static final RedisScript REGISTER = RedisScript.load("register.lua");
  private static final Duration AWAIT = Duration.ofSeconds(10);

  private RedisProcess redis;
  private RedisClients clients;
  private ExecutorService threads;

  @BeforeEach
  void setUp() {
    redis = RedisProcess.start();
    threads = Executors.newCachedThreadPool();
  }

  @AfterEach
  void tearDown() throws Exception {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    if (clients != null) {
      clients.close();
    }
    redis.close();
  }

  /** Groups every call, however few are under way (so that the tests can hold one round trip). */
  private GroupCommit commit(Duration timeout) {
    return commit(timeout, 0);
  }

  private GroupCommit commit(Duration timeout, int directUpTo) {
    URI url = URI.create(redis.url());
    clients =
        new RedisClients(
            new RedisSettings(
                List.of(url), List.of(url), false, 16, timeout, Duration.ofSeconds(2), 0, 0, false),
            new RedisBrokerIT.RecordingMetrics());
    return GroupCommit.pipelined(clients.commands(), REGISTER, directUpTo);
  }

  /**
   * register.lua with "nx" for call {@code uuid} on the list {@code "list"}, in a thread of its
   * own: answers the list's new length.
   */
  private CompletableFuture<Object> register(GroupCommit commit, String uuid) {
    return CompletableFuture.supplyAsync(
        () ->
            commit.eval(
                List.of("expiry:" + uuid, "list"), List.of("60000", "payload-" + uuid, "0", "nx")),
        threads);
  }

  /**
   * Freezes Redis, starts call u0 (its round trip held), then calls u1 to u{@code n - 1}, which
   * queue behind it.
   */
  private List<CompletableFuture<Object>> heldThenQueued(GroupCommit commit, int n) {
    redis.freeze(true);
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    calls.add(register(commit, "u0"));
    await().atMost(AWAIT).until(() -> commit.roundTrips() == 1);
    for (int i = 1; i < n; i++) {
      calls.add(register(commit, "u" + i));
    }
    await().atMost(AWAIT).until(() -> commit.queued() == n - 1);
    return calls;
  }

  /** The replies of {@code calls}, each a list length: as many as calls if each ran once. */
  private static Set<Long> lengths(List<CompletableFuture<Object>> calls) throws Exception {
    Set<Long> lengths = new HashSet<>();
    for (CompletableFuture<Object> call : calls) {
      lengths.add((Long) call.get(AWAIT.toSeconds(), TimeUnit.SECONDS));
    }
    return lengths;
  }

  @Test
  void callsThatArriveDuringARoundTripGoTogetherInTheNext() throws Exception {
    GroupCommit commit = commit(Duration.ofSeconds(20));
    int n = 64;
    List<CompletableFuture<Object>> calls = heldThenQueued(commit, n);
    redis.freeze(false);

    Set<Long> lengths = lengths(calls);
    assertEquals(n, lengths.size(), "every call ran once, each with its own reply: " + lengths);
    assertEquals(
        2, commit.roundTrips(), "the held call's round trip, then all the others' together");
    try (Jedis jedis = redis.jedis()) {
      assertEquals(n, jedis.llen("list"));
    }
  }

  @Test
  void aFewCallsAtOnceGoOnTheirOwnConnectionsAndOnlyMoreAreGrouped() throws Exception {
    GroupCommit commit = commit(Duration.ofSeconds(20), GroupCommit.DIRECT_UP_TO);
    redis.freeze(true);
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < GroupCommit.DIRECT_UP_TO; i++) {
      calls.add(register(commit, "direct" + i));
      int sent = i + 1;
      await().atMost(AWAIT).until(() -> commit.roundTrips() == sent);
    }
    assertEquals(0, commit.queued(), "each on its own connection, none waiting for another");
    calls.add(register(commit, "leader")); // one more: it leads a group
    await().atMost(AWAIT).until(() -> commit.roundTrips() == GroupCommit.DIRECT_UP_TO + 1);
    for (int i = 0; i < 5; i++) {
      calls.add(register(commit, "grouped" + i));
    }
    await().atMost(AWAIT).until(() -> commit.queued() == 5);
    redis.freeze(false);

    Set<Long> lengths = lengths(calls);
    assertEquals(calls.size(), lengths.size(), lengths.toString());
    assertEquals(
        GroupCommit.DIRECT_UP_TO + 2, commit.roundTrips(), "the five queued went together");
  }

  @Test
  void anErrorReplyGoesToItsOwnCallerOnly() throws Exception {
    GroupCommit commit = commit(Duration.ofSeconds(20));
    try (Jedis jedis = redis.jedis()) {
      jedis.set("expiry:u2", "pending"); // u2 is a duplicate: register.lua's "nx" refuses it
    }
    List<CompletableFuture<Object>> calls = heldThenQueued(commit, 4);
    redis.freeze(false);

    for (int i : List.of(0, 1, 3)) {
      assertInstanceOf(Long.class, calls.get(i).get(AWAIT.toSeconds(), TimeUnit.SECONDS));
    }
    Exception refused =
        assertThrows(Exception.class, () -> calls.get(2).get(AWAIT.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(JedisDataException.class, refused.getCause());
    assertTrue(refused.getCause().getMessage().contains("duplicate"), refused.toString());
    assertEquals(2, commit.roundTrips());
  }

  @Test
  void aLostRoundTripFailsEveryCallInItAndNobodyStaysParked() throws Exception {
    GroupCommit commit = commit(Duration.ofMillis(1_500));
    int n = 8;
    List<CompletableFuture<Object>> calls = heldThenQueued(commit, n);
    // Redis stays frozen: the held round trip times out, then the queued calls' does
    for (CompletableFuture<Object> call : calls) {
      Exception failed =
          assertThrows(Exception.class, () -> call.get(AWAIT.toSeconds(), TimeUnit.SECONDS));
      assertInstanceOf(JedisConnectionException.class, failed.getCause(), failed.toString());
    }
    redis.freeze(false);
    assertEquals(
        1L, commit.eval(List.of("expiry:after", "other"), List.of("60000", "p", "0", "nx")));
  }

  @Test
  void aScriptRedisHasForgottenIsSentAgain() {
    GroupCommit commit = commit(Duration.ofSeconds(2));
    assertEquals(1L, commit.eval(List.of("expiry:a", "list"), List.of("60000", "a", "0", "nx")));
    try (Jedis jedis = redis.jedis()) {
      jedis.scriptFlush(); // as after a restart
    }
    assertEquals(2L, commit.eval(List.of("expiry:b", "list"), List.of("60000", "b", "0", "nx")));
  }
}
