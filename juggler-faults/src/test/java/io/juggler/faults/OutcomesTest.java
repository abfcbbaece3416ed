package io.juggler.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.juggler.faults.Driver.CallRecord;
import io.juggler.faults.Driver.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the suite classifies what became of each call (the columns of docs/faults). */
class OutcomesTest {

  private static final long S = 1_000_000_000L;

  private static CallRecord call(
      long sent, boolean acked, Outcome outcome, long end, String result) {
    CallRecord r = new CallRecord("u", sent, sent + 10 * S);
    r.acked = acked;
    r.outcome = outcome;
    r.endNanos = end;
    r.result = result;
    return r;
  }

  @Test
  void lostCountsAckedCallsWithoutResWhoseDeadlineLeftTimeToRecover() {
    long faultStart = 100 * S;
    long faultEnd = 105 * S;
    List<CallRecord> calls =
        List.of(
            // answered, once on a second delivery
            call(90 * S, true, Outcome.RES, 90 * S + S / 10, "{\"attempt\":1}"),
            call(99 * S, true, Outcome.RES, 107 * S, "{\"delay\":100,\"attempt\":2}"),
            // ACKed, expired on time; deadline 105.5 s: within the fault + 1 s, not lost
            call(95 * S + S / 2, true, Outcome.EXPIRED, 105 * S + S / 2, null),
            // ACKed, expired; deadline 109 s, long after the fault: lost
            call(99 * S, true, Outcome.EXPIRED, 109 * S + S / 2, null),
            // refused during the fault
            call(101 * S, false, Outcome.NACK, 101 * S, null),
            // after the fault: a failure at 106 s, then fine
            call(106 * S, false, Outcome.NACK, 106 * S, null),
            call(107 * S, true, Outcome.RES, 107 * S + S / 10, null),
            // no outcome at all
            call(108 * S, true, Outcome.STUCK, 0, null),
            call(109 * S, false, Outcome.CONNECTION_LOST, 109 * S, null));
    calls.get(4).nackCode = 503;
    calls.get(5).nackCode = 503;
    Map<String, Object> row = Outcomes.row("s", "u", "d", calls, faultStart, faultEnd, S);
    assertEquals(9L, row.get("sent"));
    assertEquals(6L, row.get("ack"));
    assertEquals(3L, row.get("res"));
    assertEquals(2L, row.get("nack"));
    assertEquals(Map.of("503", 2L), row.get("nackCodes"));
    assertEquals(2L, row.get("expired"));
    assertEquals(1L, row.get("expiredLate"), "the one seen 500 ms after its deadline");
    assertEquals(2L, row.get("lost"), "the late-deadline expiry and the stuck call");
    assertEquals(1L, row.get("ackedUnansweredInFault"));
    assertEquals(1L, row.get("stuck"));
    assertEquals(1L, row.get("connectionLost"));
    assertEquals(1L, row.get("redelivered"));
    assertEquals(4_000L, row.get("recoveryMs"), "the last failed call was sent 4 s after");
  }
}
