package io.juggler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

  /** As Payara Micro 6.2025.10 writes them. */
  static final String PAYARA =
      """
      # TYPE memory_usedHeap_bytes gauge
      memory_usedHeap_bytes{mp_scope="base"} 1.4058952E8
      juggler_calls_expired_total{mp_scope="application",stage="result"} 0.0
      juggler_calls_expired_total{mp_scope="application",stage="unanswered"} 2.0
      juggler_calls_expired_total{mp_scope="application",stage="abandoned"} 1.0
      juggler_calls_expired_total{mp_scope="application",stage="queue"} 0.0
      juggler_messages_sent_total{mp_scope="application",type="RES"} 11074.0
      juggler_messages_sent_total{mp_scope="application",type="ACK"} 11075.0
      juggler_connections_active{mp_scope="application"} 10.0
      """;

  /** As Open Liberty 26.0.0.3 (mpMetrics-5.1) writes them: a comma after the last tag. */
  static final String LIBERTY =
      """
      memory_usedHeap_bytes{mp_scope="base",} 4.574612E7
      juggler_messages_sent_total{mp_scope="application",type="ACK",} 300.0
      juggler_messages_sent_total{mp_scope="application",type="RES",} 299.0
      juggler_calls_expired_total{mp_scope="application",stage="abandoned",} 1.0
      juggler_results_delivered_total{mp_scope="application",} 299.0
      """;

  @Test
  void readsAGaugeOnEitherRuntime() {
    assertEquals(1.4058952E8, ServerMetrics.value(PAYARA, IdleScale.HEAP));
    assertEquals(4.574612E7, ServerMetrics.value(LIBERTY, IdleScale.HEAP));
    assertEquals(10.0, ServerMetrics.value(PAYARA, IdleScale.ACTIVE));
  }

  @Test
  void selectsByTagAndSumsTheRest() {
    assertEquals(
        11075.0, ServerMetrics.value(PAYARA, "juggler_messages_sent_total", Map.of("type", "ACK")));
    assertEquals(
        299.0, ServerMetrics.value(LIBERTY, "juggler_messages_sent_total", Map.of("type", "RES")));
    assertEquals(3.0, ServerMetrics.value(PAYARA, "juggler_calls_expired_total"));
    assertEquals(
        2.0,
        ServerMetrics.value(PAYARA, "juggler_calls_expired_total", Map.of("stage", "unanswered")));
  }

  @Test
  void aSeriesWrittenTwiceCountsOnce() {
    // Payara Micro 6.2025.10 writes the base heap gauge twice, with the same tags: summed, the
    // idle-scale scenario read twice the heap (131 MB instead of 65 at 10 connections)
    String twice =
        """
        memory_usedHeap_bytes{mp_scope="base"} 6.5175584E7
        juggler_connections_active{mp_scope="application"} 10.0
        memory_usedHeap_bytes{mp_scope="base"} 6.5175584E7
        """;
    assertEquals(6.5175584E7, ServerMetrics.value(twice, IdleScale.HEAP));
  }

  @Test
  void anAbsentMetricIsMinusOne() {
    assertEquals(-1, ServerMetrics.value(PAYARA, "juggler_results_delivered_total"));
    assertEquals(
        -1, ServerMetrics.value(PAYARA, "juggler_messages_sent_total", Map.of("type", "EVNT")));
    assertEquals(-1, ServerMetrics.value(PAYARA, "memory_usedHeap"), "a prefix is not a match");
  }
}
