package io.juggler.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.registry.InstanceRegistry;
import io.juggler.registry.InstanceState;
import io.juggler.registry.RegisteredInstance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link RedisInstances} judges a state silent, without Redis. */
class RedisInstancesTest {

  static InstanceState state(long intervalMillis) {
    return new InstanceState(
        "i",
        "h",
        0,
        500,
        intervalMillis,
        true,
        false,
        0,
        List.of(),
        0,
        List.of(),
        Map.of(),
        0,
        List.of());
  }

  @Test
  void silentAfterOneIntervalAndHalfAnotherWithAtLeastOneSecondOfGraceButAtMostAnInterval() {
    assertEquals(Duration.ofSeconds(3), InstanceRegistry.silentAfter(Duration.ofSeconds(2)));
    assertEquals(Duration.ofSeconds(15), InstanceRegistry.silentAfter(Duration.ofSeconds(10)));
    // the 1 s floor
    assertEquals(Duration.ofMillis(2_500), InstanceRegistry.silentAfter(Duration.ofMillis(1_500)));
    assertEquals(Duration.ofSeconds(2), InstanceRegistry.silentAfter(Duration.ofSeconds(1)));
    // capped at one interval of grace: still well before the state expires (three intervals)
    assertEquals(Duration.ofSeconds(1), InstanceRegistry.silentAfter(Duration.ofMillis(500)));
    assertEquals(Duration.ofMillis(200), InstanceRegistry.silentAfter(Duration.ofMillis(100)));
  }

  @Test
  void theAgeOfAStateIsItsTimeToLiveMinusItsPttl() {
    // 2 s interval: 6 s to live, silent once more than 3 s old, i.e. below 3 s of PTTL
    RegisteredInstance fresh = RedisInstances.registered(state(2_000), 5_800, 10_000);
    assertEquals(200, fresh.sinceWriteMillis());
    assertEquals(9_800, fresh.lastWriteAt());
    assertTrue(fresh.live());
    assertTrue(RedisInstances.registered(state(2_000), 3_000, 10_000).live());
    RegisteredInstance silent = RedisInstances.registered(state(2_000), 2_999, 10_000);
    assertTrue(silent.silent());
    assertEquals(3_001, silent.sinceWriteMillis());
  }

  @Test
  void aStateWithoutAnIntervalOrATimeToLiveIsNotJudged() {
    RegisteredInstance old = RedisInstances.registered(state(0), 10, 10_000);
    assertFalse(old.silent());
    assertEquals(-1, old.sinceWriteMillis());
    assertEquals(500, old.lastWriteAt()); // the publisher's publishedAt
    assertFalse(RedisInstances.registered(state(2_000), -1, 10_000).silent());
  }
}
