package io.juggler.admin;

import io.juggler.registry.InstanceState;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Channels and patterns with their local subscriber counts per live instance (a silent one's
 * subscribers are most likely gone with it).
 */
@Named("pubsub")
@RequestScoped
public class PubSubView {

  /** Subscribers of one channel or pattern on one instance. */
  public record Row(String instance, String name, boolean pattern, int subscribers) {}

  @Inject ClusterMonitor monitor;

  /** Asks the instances for their subscription counts, before anything is rendered. */
  public void watch() {
    monitor.watchSubscriptions();
  }

  public List<Row> getRows() {
    List<Row> rows = new ArrayList<>();
    for (InstanceState i : monitor.snapshot().live()) {
      for (InstanceState.SubscriptionCount s : i.subscriptions()) {
        rows.add(new Row(i.id(), s.name(), s.pattern(), s.subscribers()));
      }
    }
    rows.sort(Comparator.comparing(Row::name).thenComparing(Row::instance));
    return rows;
  }
}
