package io.juggler.admin;

import io.juggler.broker.redis.RedisRegistry;
import io.juggler.registry.InstanceState;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The overview: the cluster at a glance, with the charts' history. */
@Named("overview")
@RequestScoped
public class OverviewView {

  @Inject ClusterMonitor monitor;

  public ClusterMonitor.Snapshot getSnapshot() {
    return monitor.snapshot();
  }

  public ClusterMonitor.Point getLatest() {
    return monitor.latest();
  }

  public List<InstanceState> getInstances() {
    return monitor.snapshot().instances();
  }

  public long getPendingCalls() {
    return getInstances().stream().mapToLong(InstanceState::pendingCalls).sum();
  }

  public Map<String, Long> getExpired() {
    return monitor.snapshot().expired();
  }

  public long getExpiredTotal() {
    return getExpired().values().stream().mapToLong(Long::longValue).sum();
  }

  public List<RedisRegistry.AuditEntry> getAudit() {
    return monitor.snapshot().audit();
  }

  /** The chart history as JSON: {@code {"t":[...],"calls":[...],...}}. */
  public String getHistoryJson() {
    List<ClusterMonitor.Point> h = monitor.history();
    StringBuilder t = new StringBuilder();
    StringBuilder calls = new StringBuilder();
    StringBuilder results = new StringBuilder();
    StringBuilder events = new StringBuilder();
    StringBuilder queued = new StringBuilder();
    StringBuilder mean = new StringBuilder();
    StringBuilder p99 = new StringBuilder();
    for (ClusterMonitor.Point p : h) {
      String sep = t.length() == 0 ? "" : ",";
      t.append(sep).append(p.at());
      calls.append(sep).append(num(p.callRate()));
      results.append(sep).append(num(p.resultRate()));
      events.append(sep).append(num(p.eventRate()));
      queued.append(sep).append(p.queuedCalls());
      mean.append(sep).append(num(p.latencyMeanMicros() / 1000.0));
      p99.append(sep).append(num(p.latencyP99Micros() / 1000.0));
    }
    return "{\"t\":["
        + t
        + "],\"calls\":["
        + calls
        + "],\"results\":["
        + results
        + "],\"events\":["
        + events
        + "],\"queued\":["
        + queued
        + "],\"meanMs\":["
        + mean
        + "],\"p99Ms\":["
        + p99
        + "]}";
  }

  private static String num(double d) {
    return String.format(Locale.ROOT, "%.2f", d);
  }
}
