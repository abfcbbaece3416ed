package io.juggler.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesFromTheFirstWaitUpToHalfASecondAndStartsOverAfterASuccess() {
    Backoff b = new Backoff();
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      assertEquals(b.peekMillis(), b.peekMillis(), "peeking does not move on");
      waits.add(b.nextMillis());
    }
    assertEquals(List.of(100L, 200L, 400L, 500L, 500L, 500L), waits);
    // the loops must be back within a second of Redis returning (issue 12's target)
    assertTrue(Backoff.MAX.toMillis() < 1_000);
    b.reset();
    assertEquals(Backoff.FIRST.toMillis(), b.nextMillis());
  }
}
