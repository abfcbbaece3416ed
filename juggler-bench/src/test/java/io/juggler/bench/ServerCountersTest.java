package io.juggler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerCountersTest {

  static String metrics(long calls, long acks, long res, long expiredUnanswered, long dropped) {
    return """
        juggler_messages_received_total{mp_scope="application",type="CALL",} %d.0
        juggler_messages_received_total{mp_scope="application",type="PUB",} 0.0
        juggler_messages_sent_total{mp_scope="application",type="ACK",} %d.0
        juggler_messages_sent_total{mp_scope="application",type="RES",} %d.0
        juggler_results_delivered_total{mp_scope="application",} %d.0
        juggler_calls_expired_total{mp_scope="application",stage="queue",} 0.0
        juggler_calls_expired_total{mp_scope="application",stage="unanswered",} %d.0
        juggler_results_dropped_total{mp_scope="application",} %d.0
        """
        .formatted(calls, acks, res, res, expiredUnanswered, dropped);
  }

  @Test
  void readsTheServersCountsAndTheirGrowth() {
    ServerCounters before = ServerCounters.of(metrics(100, 100, 100, 0, 0));
    ServerCounters after = ServerCounters.of(metrics(11_175, 11_175, 11_175, 2, 1));
    assertEquals(new ServerCounters(100, 100, 100, 0, 0), before);
    assertEquals(new ServerCounters(11_075, 11_075, 11_075, 2, 1), after.since(before));
  }

  @Test
  void aMissingCounterStaysUnknown() {
    ServerCounters none = ServerCounters.of("memory_usedHeap_bytes 1.0\n");
    assertEquals(-1, none.results());
    assertEquals(-1, ServerCounters.of(metrics(1, 1, 1, 0, 0)).since(none).results());
  }

  @Test
  void theToolsExpiredAreItsOwnWhenTheServerAnsweredEveryCallInTime() {
    // the Go tool: 11,075 calls, 11,074 results, 1 expired; the server sent 11,075 RES
    assertEquals("tool", ServerCounters.expiredCause(11_075, 1, 11_075, 0));
    assertEquals("none", ServerCounters.expiredCause(11_075, 0, 11_075, 0));
    assertEquals("server", ServerCounters.expiredCause(11_075, 3, 11_072, 3));
    assertEquals("unclear", ServerCounters.expiredCause(11_075, 3, 11_072, 0));
    assertEquals("unclear", ServerCounters.expiredCause(11_075, 3, -1, 0));
  }

  @Test
  void theColumnsGoBesideTheTools() {
    Map<String, Object> row = new LinkedHashMap<>();
    ServerCounters.put(
        row,
        ServerCounters.of(metrics(0, 0, 0, 0, 0)),
        ServerCounters.of(metrics(300, 300, 300, 0, 0)),
        300,
        2);
    assertEquals(300L, row.get("serverResults"));
    assertEquals(0L, row.get("serverExpired"));
    assertEquals("tool", row.get("expiredCause"));
    Map<String, Object> none = new LinkedHashMap<>();
    ServerCounters.put(none, null, ServerCounters.of(metrics(1, 1, 1, 0, 0)), 1, 0);
    assertFalse(none.containsKey("serverResults"), "the Go reference: no columns");
  }
}
