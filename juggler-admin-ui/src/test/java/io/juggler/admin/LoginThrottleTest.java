package io.juggler.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** A failed attempt: begun, never succeeded. */
  void fail(String user, String address) {
    assertEquals(Duration.ZERO, throttle.begin(user, address).retryAfter(), "refused at once");
  }

  @Test
  void aUserIsLockedFromAnAddressAfterItsFreeFailuresForDoublingTimes() {
    for (int i = 0; i < LoginThrottle.FREE_PER_USER; i++) {
      fail("admin", "x");
    }
    assertEquals(Duration.ZERO, throttle.lockedFor("admin", "x"), "the allowance is free");
    fail("admin", "x");
    assertEquals(Duration.ofSeconds(1), throttle.lockedFor("admin", "x"));
    assertEquals(Duration.ZERO, throttle.lockedFor("operator", "x"), "other users are not");
    clock.advance(Duration.ofSeconds(1));
    fail("admin", "x");
    assertEquals(Duration.ofSeconds(2), throttle.lockedFor("admin", "x"));
    clock.advance(Duration.ofSeconds(2));
    fail("admin", "x");
    assertEquals(Duration.ofSeconds(4), throttle.lockedFor("admin", "x"));
  }

  @Test
  void locksAreCappedAtFifteenMinutes() {
    for (int i = 0; i < 40; i++) {
      clock.advance(throttle.lockedFor("admin", "x"));
      fail("admin", "x");
    }
    assertEquals(LoginThrottle.MAX_LOCK, throttle.lockedFor("admin", "x"));
  }

  /**
   * Third hardening round, item 8: a lock on the user name alone let anyone keep {@code admin}
   * locked out for good. The guesser now locks out only its own address.
   */
  @Test
  void aGuesserElsewhereDoesNotLockTheRealUserOut() {
    for (int round = 0; round < 10; round++) { // five wrong passwords every quarter of an hour
      for (int i = 0; i < LoginThrottle.FREE_PER_USER + 1; i++) {
        throttle.begin("admin", "203.0.113.9");
      }
      clock.advance(Duration.ofMinutes(15));
    }
    assertEquals(Duration.ZERO, throttle.lockedFor("admin", "198.51.100.7"));
    assertEquals(Duration.ZERO, throttle.begin("admin", "198.51.100.7").retryAfter());
  }

  /**
   * Item 8: checking and recording a failure were separate steps, so a parallel burst passed the
   * check together. Now at most the free allowance and one more get through, however many at once.
   */
  @Test
  void aParallelBurstGetsNoMoreThroughThanOneAfterAnother() throws Exception {
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService burst = Executors.newFixedThreadPool(16);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> attempts = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        attempts.add(
            burst.submit(
                () -> {
                  start.await();
                  if (!throttle.begin("admin", "203.0.113.9").locked()) {
                    admitted.incrementAndGet();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : attempts) {
        f.get();
      }
    } finally {
      burst.shutdownNow();
    }
    assertEquals(LoginThrottle.FREE_PER_USER + 1, admitted.get());
  }

  @Test
  void onlyTheFirstRefusalOfALockIsReported() {
    for (int i = 0; i <= LoginThrottle.FREE_PER_USER; i++) {
      fail("admin", "z");
    }
    assertEquals(new LoginThrottle.Lock(Duration.ofSeconds(1), true), throttle.begin("admin", "z"));
    assertEquals(
        new LoginThrottle.Lock(Duration.ofSeconds(1), false), throttle.begin("admin", "z"));
    clock.advance(Duration.ofSeconds(1));
    fail("admin", "z"); // a new lock: reported again
    assertEquals(new LoginThrottle.Lock(Duration.ofSeconds(2), true), throttle.begin("admin", "z"));
    assertEquals(
        new LoginThrottle.Lock(Duration.ofSeconds(2), false), throttle.begin("admin", "z"));
  }

  @Test
  void anAddressIsLockedWhateverUserNamesItTries() {
    for (int i = 0; i <= LoginThrottle.FREE_PER_ADDRESS; i++) {
      fail("user" + i, "203.0.113.9");
    }
    assertEquals(Duration.ofSeconds(1), throttle.lockedFor("someone-new", "203.0.113.9"));
    assertEquals(Duration.ZERO, throttle.lockedFor("someone-new", "198.51.100.1"));
  }

  @Test
  void aSuccessClearsItsUserAndAddress() {
    for (int i = 0; i < LoginThrottle.FREE_PER_USER - 1; i++) {
      fail("admin", "a");
    }
    throttle.begin("admin", "a");
    throttle.succeeded("admin", "a");
    for (int i = 0; i < LoginThrottle.FREE_PER_USER; i++) {
      fail("admin", "a");
    }
    assertEquals(Duration.ZERO, throttle.lockedFor("admin", "a"), "the allowance starts again");
  }

  @Test
  void failuresAreForgottenAfterAQuietHour() {
    for (int i = 0; i <= LoginThrottle.FREE_PER_USER; i++) {
      throttle.begin("admin", "a");
    }
    clock.advance(LoginThrottle.FORGET_AFTER.plusSeconds(1));
    fail("admin", "a");
    assertEquals(Duration.ZERO, throttle.lockedFor("admin", "a"));
  }

  @Test
  void madeUpUserNamesCannotGrowMemory() {
    for (int i = 0; i < LoginThrottle.MAX_RECORDS * 3; i++) {
      throttle.begin("guess-" + i, "198.51.100." + (i % 200));
      throttle.begin("admin", "203.0.113." + (i % 250) + "." + i); // made-up forwarded addresses
    }
    assertEquals(2 * LoginThrottle.MAX_RECORDS, throttle.records());
  }
}
