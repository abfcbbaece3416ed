package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.juggler.message.Call;
import io.juggler.message.RawJson;
import io.juggler.message.Sub;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A CALL checked once, its time-to-live settled before any rule reads it. */
class CallCheckTest {

  static final CallCheck CHECK = new CallCheck(Duration.ofSeconds(60));

  static Call call(String uri, long timeoutNanos) {
    return new Call("3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e", uri, timeoutNanos, RawJson.NULL);
  }

  @Test
  void aCallWithoutUriOrWithANegativeTimeoutIsRefusedWith400() {
    RequestRefusedException missing =
        assertThrows(RequestRefusedException.class, () -> CHECK.check(call("", 0)));
    assertEquals(400, missing.code());
    assertEquals("missing uri", missing.getMessage());
    RequestRefusedException negative =
        assertThrows(RequestRefusedException.class, () -> CHECK.check(call("a", -5)));
    assertEquals(400, negative.code());
    assertEquals("invalid timeout: -5 is negative", negative.getMessage());
  }

  @Test
  void theTimeoutBecomesTheTimeToLive() {
    Call none = (Call) CHECK.check(call("a", 0));
    assertEquals(60_000, CallCheck.ttlMillis(none), "no timeout: the default");
    Call tiny = (Call) CHECK.check(call("a", 500));
    assertEquals(1, CallCheck.ttlMillis(tiny), "under a millisecond: one");
    Call given = call("a", 2_500_000_000L);
    assertSame(given, CHECK.check(given));
    assertEquals(2_500, CallCheck.ttlMillis(given));
  }

  @Test
  void otherRequestsPassUntouched() {
    Sub sub = new Sub("3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e", "news", false);
    assertSame(sub, CHECK.check(sub));
  }
}
