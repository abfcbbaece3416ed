package io.juggler.admin;

import io.juggler.registry.AuditLog;
import io.juggler.registry.InstanceState;
import io.juggler.registry.RegisteredInstance;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * The overview: the cluster at a glance, with the charts' history. Live totals (instances alive,
 * connections, calls awaiting a result) leave silent instances out; the instances table lists them
 * with how long they have been silent.
 */
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

  /** Every instance the registry holds, live or silent (the instances table shows which). */
  public List<RegisteredInstance> getInstances() {
    return monitor.snapshot().instances();
  }

  /** Instances that publish on time. */
  public int getLiveCount() {
    return monitor.snapshot().live().size();
  }

  /** Instances whose state has gone unrefreshed for too long (most likely dead). */
  public long getSilentCount() {
    return monitor.snapshot().silentCount();
  }

  /** Calls awaiting a result on live instances. */
  public long getPendingCalls() {
    return monitor.snapshot().live().stream().mapToLong(InstanceState::pendingCalls).sum();
  }

  public Map<String, Long> getExpired() {
    return monitor.snapshot().expired();
  }

  public long getExpiredTotal() {
    return getExpired().values().stream().mapToLong(Long::longValue).sum();
  }

  public List<AuditLog.Entry> getAudit() {
    return monitor.snapshot().audit();
  }

  public List<AuditLog.Entry> getRefusals() {
    return monitor.snapshot().refusals();
  }

  /** The chart history as JSON: {@code {"t":[...],"calls":[...],...}}, rates to two decimals. */
  public String getHistoryJson() {
    JsonArrayBuilder t = Json.createArrayBuilder();
    JsonArrayBuilder calls = Json.createArrayBuilder();
    JsonArrayBuilder results = Json.createArrayBuilder();
    JsonArrayBuilder events = Json.createArrayBuilder();
    JsonArrayBuilder queued = Json.createArrayBuilder();
    JsonArrayBuilder mean = Json.createArrayBuilder();
    JsonArrayBuilder p99 = Json.createArrayBuilder();
    for (ClusterMonitor.Point p : monitor.history()) {
      t.add(p.at());
      calls.add(num(p.callRate()));
      results.add(num(p.resultRate()));
      events.add(num(p.eventRate()));
      queued.add(p.queuedCalls());
      mean.add(num(p.latencyMeanMicros() / 1000.0));
      p99.add(num(p.latencyP99Micros() / 1000.0));
    }
    return Json.createObjectBuilder()
        .add("t", t)
        .add("calls", calls)
        .add("results", results)
        .add("events", events)
        .add("queued", queued)
        .add("meanMs", mean)
        .add("p99Ms", p99)
        .build()
        .toString();
  }

  private static BigDecimal num(double d) {
    return BigDecimal.valueOf(d).setScale(2, RoundingMode.HALF_UP);
  }
}
