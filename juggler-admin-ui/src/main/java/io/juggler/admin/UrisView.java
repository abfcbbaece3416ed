package io.juggler.admin;

import io.juggler.registry.InstanceState;
import io.juggler.registry.QueueInfo;
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
 * URI and how, plus its queue depth. A URI with queued calls and no callee shows too.
 */
@Named("uris")
@RequestScoped
public class UrisView {

  /** One URI served by one instance (or by none: {@code instance} null). */
  public record Row(
      String uri, String instance, long lastHeartbeat, InstanceState.UriStats stats, long queued) {}

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
    for (InstanceState i : s.instances()) {
      for (InstanceState.UriStats u : i.uris()) {
        served.add(u.uri());
        rows.add(new Row(u.uri(), i.id(), i.publishedAt(), u, depth.getOrDefault(u.uri(), 0L)));
      }
    }
    depth.forEach(
        (uri, n) -> {
          if (!served.contains(uri)) {
            rows.add(new Row(uri, null, 0, null, n));
          }
        });
    rows.sort(
        java.util.Comparator.comparing(Row::uri)
            .thenComparing(r -> r.instance() == null ? "" : r.instance()));
    return rows;
  }

  /** Distinct URIs with at least one callee. */
  public long getServedCount() {
    return getRows().stream().filter(r -> r.instance() != null).map(Row::uri).distinct().count();
  }
}
