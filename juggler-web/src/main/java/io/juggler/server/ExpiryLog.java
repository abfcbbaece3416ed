package io.juggler.server;

import io.juggler.registry.ExpiredCall;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expired calls seen by this instance since the registry last took them: exact counts by stage and
 * the most recent entries (bounded, so a flood of expiries costs no more memory or Redis traffic).
 * The state publisher drains it into Redis once per interval. Thread-safe.
 */
final class ExpiryLog {

  /** What {@link #drain} returns: counts by stage and the kept entries, oldest first. */
  record Batch(Map<String, Long> byStage, List<ExpiredCall> recent) {
    boolean isEmpty() {
      return byStage.isEmpty();
    }
  }

  private final int keep;
  private final Map<String, Long> byStage = new LinkedHashMap<>();
  private final Deque<ExpiredCall> recent = new ArrayDeque<>();

  ExpiryLog(int keep) {
    this.keep = keep;
  }

  synchronized void record(String uri, String msgUuid, String stage) {
    byStage.merge(stage, 1L, Long::sum);
    recent.addLast(new ExpiredCall(uri, msgUuid, stage, System.currentTimeMillis(), null));
    if (recent.size() > keep) {
      recent.removeFirst();
    }
  }

  /** Takes everything recorded so far, naming {@code instance} as the one that saw it. */
  synchronized Batch drain(String instance) {
    List<ExpiredCall> out = new ArrayList<>(recent.size());
    for (ExpiredCall c : recent) {
      out.add(new ExpiredCall(c.uri(), c.msgUuid(), c.stage(), c.at(), instance));
    }
    Batch b = new Batch(Map.copyOf(byStage), out);
    byStage.clear();
    recent.clear();
    return b;
  }

  /** Puts a batch back after Redis refused it, so that nothing is lost to a short outage. */
  synchronized void restore(Batch b) {
    b.byStage().forEach((stage, n) -> byStage.merge(stage, n, Long::sum));
    List<ExpiredCall> newer = new ArrayList<>(recent);
    recent.clear();
    recent.addAll(b.recent());
    recent.addAll(newer);
    while (recent.size() > keep) {
      recent.removeFirst();
    }
  }
}
