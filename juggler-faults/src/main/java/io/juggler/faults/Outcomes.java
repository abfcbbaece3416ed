package io.juggler.faults;

import io.juggler.faults.Driver.CallRecord;
import io.juggler.faults.Driver.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What became of the calls of one URI in one scenario, as the client saw them. The fault lasted
 * from {@code faultStart} to {@code faultEnd} (nanos, the driver's clock).
 *
 * <ul>
 *   <li><b>lost</b>: ACKed calls that got no RES although their deadline came more than the
 *       allowance after the fault ended (1 s, the recovery target; plus the lease for an
 *       at-least-once URI whose callee was killed): a system that recovered on time answers them.
 *   <li><b>expiredLate</b>: expiries the client saw more than 100 ms after the call's deadline.
 *   <li><b>stuck</b>: calls without any outcome when the run ended (timeout + 3 s after the last
 *       call was sent).
 *   <li><b>recoveryMs</b>: how long after the fault ended calls still failed: the send time of the
 *       last call, sent after the fault ended, that got no RES (0 when none did).
 * </ul>
 */
final class Outcomes {

  private static final Pattern ATTEMPT = Pattern.compile("\"attempt\":(\\d+)");

  private Outcomes() {}

  static Map<String, Object> row(
      String scenario,
      String uri,
      String delivery,
      List<CallRecord> all,
      long faultStart,
      long faultEnd,
      long allowanceNanos) {
    return row(scenario, uri, delivery, all, faultStart, faultEnd, allowanceNanos, Map.of());
  }

  /**
   * As above; {@code expiredStages} maps call uuids to the stage at which the servers and callees
   * saw them expire (the registry's recent expired calls), to tell lost calls that waited too long
   * in the queue ({@code queue}: a callee took them after their time) from the others.
   */
  static Map<String, Object> row(
      String scenario,
      String uri,
      String delivery,
      List<CallRecord> all,
      long faultStart,
      long faultEnd,
      long allowanceNanos,
      Map<String, String> expiredStages) {
    List<CallRecord> rs = all.stream().filter(r -> r.uri.equals(uri)).toList();
    long sent = 0;
    long acks = 0;
    long nacks = 0;
    long results = 0;
    long expired = 0;
    long expiredLate = 0;
    long lost = 0;
    long lostInFault = 0;
    long connectionLost = 0;
    long notSent = 0;
    long stuck = 0;
    long redelivered = 0;
    long lastFailure = -1;
    Map<Integer, Long> nackCodes = new TreeMap<>();
    List<Long> latencies = new ArrayList<>();
    List<Long> lostSentAt = new ArrayList<>();
    List<String> lostUuids = new ArrayList<>();
    Map<String, Long> lostByStage = new TreeMap<>();
    for (CallRecord r : rs) {
      if (r.outcome == Outcome.NOT_SENT) {
        notSent++;
      } else {
        sent++;
      }
      if (r.acked) {
        acks++;
      }
      switch (r.outcome) {
        case RES -> {
          results++;
          latencies.add(r.endNanos - r.sentNanos);
          Matcher m = r.result == null ? null : ATTEMPT.matcher(r.result);
          if (m != null && m.find() && Integer.parseInt(m.group(1)) > 1) {
            redelivered++;
          }
        }
        case NACK -> {
          nacks++;
          nackCodes.merge(r.nackCode, 1L, Long::sum);
        }
        case EXPIRED -> {
          expired++;
          if (r.endNanos - r.deadlineNanos > 100_000_000L) {
            expiredLate++;
          }
        }
        case CONNECTION_LOST -> connectionLost++;
        case STUCK -> stuck++;
        default -> {}
      }
      if (r.acked && (r.outcome == Outcome.EXPIRED || r.outcome == Outcome.STUCK)) {
        if (r.deadlineNanos - faultEnd >= allowanceNanos) {
          lost++;
          lostByStage.merge(
              expiredStages.getOrDefault(r.uuid == null ? "" : r.uuid, "unknown"), 1L, Long::sum);
          if (lostSentAt.size() < 40) {
            lostSentAt.add((r.sentNanos - faultStart) / 1_000_000);
            lostUuids.add(r.uuid); // to look for in the instances' logs
          }
        } else {
          lostInFault++;
        }
      }
      if (r.sentNanos >= faultEnd && r.outcome != Outcome.RES && r.sentNanos > lastFailure) {
        lastFailure = r.sentNanos;
      }
    }
    latencies.sort(null);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("scenario", scenario);
    row.put("uri", uri);
    row.put("delivery", delivery);
    row.put("sent", sent);
    row.put("ack", acks);
    row.put("nack", nacks);
    row.put("res", results);
    row.put("expired", expired);
    row.put("ackedUnansweredInFault", lostInFault);
    row.put("lost", lost);
    row.put("expiredLate", expiredLate);
    row.put("connectionLost", connectionLost);
    row.put("notSent", notSent);
    row.put("stuck", stuck);
    row.put("redelivered", redelivered);
    row.put("recoveryMs", lastFailure < 0 ? 0 : (lastFailure - faultEnd) / 1_000_000);
    row.put("p50Ms", percentile(latencies, 50));
    row.put("p99Ms", percentile(latencies, 99));
    row.put("nackCodes", stringKeys(nackCodes));
    row.put("lostSentAtMsFromFault", lostSentAt);
    row.put("lostUuids", lostUuids);
    row.put("lostExpiredInQueue", lostByStage.getOrDefault("queue", 0L));
    row.put("lostByStage", new LinkedHashMap<String, Object>(lostByStage));
    return row;
  }

  private static Map<String, Object> stringKeys(Map<Integer, Long> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(Integer.toString(k), v));
    return out;
  }

  static double percentile(List<Long> sortedNanos, int p) {
    if (sortedNanos.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1;
    return Math.round(sortedNanos.get(Math.max(0, i)) / 10_000.0) / 100.0;
  }
}
