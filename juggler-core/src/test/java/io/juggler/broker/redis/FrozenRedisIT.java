package io.juggler.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.redis.RedisBrokerIT.RecordingMetrics;
import io.juggler.message.CallPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import io.juggler.testing.TestKeys;
import io.juggler.testing.redis.RedisProcess;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A frozen Redis (SIGSTOP: its sockets stay open, nothing answers), the half-open case of issue 12:
 * every blocking pop gives up after its socket timeout (the longest block plus {@code
 * juggler.redis.timeout}) instead of hanging, and works again once Redis is resumed.
 */
class FrozenRedisIT {

  private static final Duration BLOCK = Duration.ofSeconds(1);
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private static RedisProcess redis;

  @BeforeAll
  static void start() {
    redis = RedisProcess.start();
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void blockingPopsGiveUpOnAFrozenRedisAndServeAgainWhenItResumes() {
    URI url = URI.create(redis.url());
    RedisSettings settings =
        new RedisSettings(List.of(url), List.of(url), false, 4, TIMEOUT, BLOCK, 0, 0, false);
    String uri = TestKeys.unique("frozen");
    String alo = TestKeys.unique("frozen-alo");
    try (RedisBroker broker = new RedisBroker(settings, new RecordingMetrics())) {
      // connections made before the freeze, as in a running server
      assertEquals(List.of(), broker.takeResults(Uuids.random(), BLOCK, 8));
      redis.freeze(true);
      try {
        // the socket timeout is 1.5 s; allow for a retry on a fresh connection
        Duration bound = Duration.ofSeconds(8);
        givesUp(bound, () -> broker.takeCall(List.of(uri), BLOCK));
        givesUp(bound, () -> broker.takeResults(Uuids.random(), BLOCK, 8));
        givesUp(bound, () -> broker.claimCall(alo, "w-0", Duration.ofSeconds(5), BLOCK));
      } finally {
        redis.freeze(false);
      }
      CallPayload call = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("1"));
      await("calls accepted again")
          .atMost(Duration.ofSeconds(10))
          .ignoreException(BrokerUnavailableException.class)
          .until(
              () -> {
                broker.call(call, 10_000);
                return true;
              });
      assertEquals(call, broker.takeCall(List.of(uri), BLOCK).orElseThrow().payload());
    }
  }

  private static void givesUp(Duration bound, Executable pop) {
    BrokerUnavailableException e =
        assertTimeoutPreemptively(
            bound,
            () -> assertThrows(BrokerUnavailableException.class, pop),
            "hung on a frozen Redis");
    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
  }
}
