package io.juggler.admin;

import io.juggler.broker.QueueInfo;
import io.juggler.registry.InstanceState;
import io.juggler.registry.RegisteredInstance;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Registered URIs, from the callee heartbeats in the instance states: which instances serve each
 * URI and how, plus its queue depth. A URI with queued calls and no callee shows too. A silent
 * callee's rows stay, marked silent, but it serves nothing as far as {@link #getServedCount} (and
 * {@code juggler.calls.reject-unserved}) are concerned.
 */
@Named("uris")
@RequestScoped
public class UrisView {

  /**
   * One URI served by one instance (or by none: {@code instance} null).
   *
   * @param lastHeartbeat when the instance last published, on this instance's clock (see {@link
   *     RegisteredInstance#lastWriteAt})
   * @param silent whether that instance is silent
   */
  public record Row(
      String uri,
      String instance,
      long lastHeartbeat,
      boolean silent,
      InstanceState.UriStats stats,
      long queued) {}

  @Inject ClusterMonitor monitor;

  public List<Row> getRows() {
    ClusterMonitor.Snapshot s = monitor.snapshot();
    Map<String, Long> depth = new TreeMap<>();
    for (QueueInfo q : s.queues().queues()) {
      if (q.kind().equals(QueueInfo.CALLS)) {
        depth.put(q.name(), q.depth());
      }
    }
    List<Row> rows = new ArrayList<>();
    Set<String> served = new HashSet<>();
    for (RegisteredInstance i : s.instances()) {
      for (InstanceState.UriStats u : i.state().uris()) {
        served.add(u.uri());
        rows.add(
            new Row(
                u.uri(), i.id(), i.lastWriteAt(), i.silent(), u, depth.getOrDefault(u.uri(), 0L)));
      }
    }
    depth.forEach(
        (uri, n) -> {
          if (!served.contains(uri)) {
            rows.add(new Row(uri, null, 0, false, null, n));
          }
        });
    rows.sort(
        java.util.Comparator.comparing(Row::uri)
            .thenComparing(r -> r.instance() == null ? "" : r.instance()));
    return rows;
  }

  /** Distinct URIs with at least one live callee. */
  public long getServedCount() {
    return getRows().stream()
        .filter(r -> r.instance() != null && !r.silent())
        .map(Row::uri)
        .distinct()
        .count();
  }
}
