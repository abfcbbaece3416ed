package io.juggler.bench;

import java.util.Map;

/**
 * A Juggler EE server's own counts of the RPC it served, from its MicroProfile Metrics
 * (docs/metrics.md), read before and after a load run so that the load tool's figures can be set
 * beside them: a call the tool counts as expired that the server answered in time (its RES sent, no
 * expiry counted) was lost by the tool, not by the server.
 *
 * @param calls CALLs received ({@code juggler_messages_received_total{type="CALL"}})
 * @param acks ACKs sent ({@code juggler_messages_sent_total{type="ACK"}})
 * @param results RES sent ({@code juggler_results_delivered_total})
 * @param expired calls expired at any stage ({@code juggler_calls_expired_total}: in the queue,
 *     results popped too late, unanswered, abandoned by a closing connection)
 * @param dropped results that arrived for no waiting call ({@code juggler_results_dropped_total})
 */
record ServerCounters(long calls, long acks, long results, long expired, long dropped) {

  /** Reads them from {@code /metrics} text; a missing counter reads -1. */
  static ServerCounters of(String metrics) {
    return new ServerCounters(
        count(metrics, "juggler_messages_received_total", Map.of("type", "CALL")),
        count(metrics, "juggler_messages_sent_total", Map.of("type", "ACK")),
        count(metrics, "juggler_results_delivered_total", Map.of()),
        count(metrics, "juggler_calls_expired_total", Map.of()),
        count(metrics, "juggler_results_dropped_total", Map.of()));
  }

  /** Reads them from a server ({@code <base>/metrics}); null when it does not answer. */
  static ServerCounters read(String baseUrl) {
    try {
      return of(ServerMetrics.scrape(baseUrl));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      System.out.println("[bench] no metrics from " + baseUrl + ": " + e);
      return null;
    }
  }

  private static long count(String metrics, String name, Map<String, String> tags) {
    double v = ServerMetrics.value(metrics, name, tags);
    return v < 0 ? -1 : Math.round(v);
  }

  /** What was counted from {@code before} to this; -1 where either reading is missing. */
  ServerCounters since(ServerCounters before) {
    return new ServerCounters(
        minus(calls, before.calls),
        minus(acks, before.acks),
        minus(results, before.results),
        minus(expired, before.expired),
        minus(dropped, before.dropped));
  }

  private static long minus(long after, long before) {
    return after < 0 || before < 0 ? -1 : after - before;
  }

  /**
   * The server's columns beside a tool's ({@code serverCalls}, {@code serverAcks}, {@code
   * serverResults}, {@code serverExpired}, {@code serverDropped}), and {@code expiredCause} for the
   * tool's {@code expired} ({@link #expiredCause}); nothing when a reading is missing.
   */
  static void put(
      Map<String, Object> row,
      ServerCounters before,
      ServerCounters after,
      long toolCalls,
      long toolExpired) {
    if (before == null || after == null) {
      return;
    }
    ServerCounters d = after.since(before);
    row.put("serverCalls", d.calls);
    row.put("serverAcks", d.acks);
    row.put("serverResults", d.results);
    row.put("serverExpired", d.expired);
    row.put("serverDropped", d.dropped);
    row.put("expiredCause", expiredCause(toolCalls, toolExpired, d.results, d.expired));
  }

  /**
   * Whose the tool's expired calls are:
   *
   * <ul>
   *   <li>{@code none}: the tool counted none;
   *   <li>{@code tool}: the server counted no expiry and sent a RES for every CALL the tool sent
   *       ({@code serverResults >= toolCalls}): the tool lost answers it got (the Go tool registers
   *       a call only after writing it, and drops a RES that comes first);
   *   <li>{@code server}: the server counted expired calls;
   *   <li>{@code unclear}: neither (e.g. results missing without an expiry counted), or a reading
   *       is missing.
   * </ul>
   */
  static String expiredCause(long toolCalls, long toolExpired, long serverResults, long expired) {
    if (toolExpired == 0) {
      return "none";
    }
    if (toolExpired < 0 || serverResults < 0 || expired < 0) {
      return "unclear";
    }
    if (expired == 0 && serverResults >= toolCalls) {
      return "tool";
    }
    return expired > 0 ? "server" : "unclear";
  }
}
