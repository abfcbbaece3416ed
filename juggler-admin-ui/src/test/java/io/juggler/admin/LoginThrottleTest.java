package io.juggler.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  static final class Ticking extends Clock {
    Instant now = Instant.parse("2026-11-30T12:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  final Ticking clock = new Ticking();
  final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  void aUserIsLockedAfterItsFreeFailuresForDoublingTimes() {
    for (int i = 0; i < LoginThrottle.FREE_PER_USER; i++) {
      assertEquals(Duration.ZERO, throttle.lockedFor("admin", "a" + i));
      throttle.failed("admin", "a" + i);
    }
    assertEquals(Duration.ZERO, throttle.lockedFor("admin", "x"), "the allowance is free");
    throttle.failed("admin", "x");
    assertEquals(Duration.ofSeconds(1), throttle.lockedFor("admin", "y"), "any address");
    assertEquals(Duration.ZERO, throttle.lockedFor("operator", "y"), "other users are not");
    clock.advance(Duration.ofSeconds(1));
    throttle.failed("admin", "x");
    assertEquals(Duration.ofSeconds(2), throttle.lockedFor("admin", "x"));
    for (int i = 0; i < 20; i++) {
      throttle.failed("admin", "x");
    }
    assertEquals(LoginThrottle.MAX_LOCK, throttle.lockedFor("admin", "x"), "capped");
  }

  @Test
  void anAddressIsLockedWhateverUserNamesItTries() {
    for (int i = 0; i <= LoginThrottle.FREE_PER_ADDRESS; i++) {
      throttle.failed("user" + i, "203.0.113.9");
    }
    assertEquals(Duration.ofSeconds(1), throttle.lockedFor("someone-new", "203.0.113.9"));
    assertEquals(Duration.ZERO, throttle.lockedFor("someone-new", "198.51.100.1"));
  }

  @Test
  void aSuccessClearsItsUserAndAddress() {
    for (int i = 0; i < LoginThrottle.FREE_PER_USER - 1; i++) {
      throttle.failed("admin", "a");
    }
    throttle.succeeded("admin", "a");
    for (int i = 0; i < LoginThrottle.FREE_PER_USER; i++) {
      throttle.failed("admin", "a");
    }
    assertEquals(Duration.ZERO, throttle.lockedFor("admin", "a"), "the allowance starts again");
  }

  @Test
  void failuresAreForgottenAfterAQuietHour() {
    for (int i = 0; i <= LoginThrottle.FREE_PER_USER; i++) {
      throttle.failed("admin", "a");
    }
    clock.advance(LoginThrottle.FORGET_AFTER.plusSeconds(1));
    throttle.failed("admin", "a");
    assertEquals(Duration.ZERO, throttle.lockedFor("admin", "a"));
  }

  @Test
  void madeUpUserNamesCannotGrowMemory() {
    for (int i = 0; i < LoginThrottle.MAX_RECORDS * 3; i++) {
      throttle.failed("guess-" + i, "a" + (i % 7));
    }
    // the oldest names were dropped: their (made-up) failures are forgotten
    assertEquals(Duration.ZERO, throttle.lockedFor("guess-0", "b"));
  }
}
