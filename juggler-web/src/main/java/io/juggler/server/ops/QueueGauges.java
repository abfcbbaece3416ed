package io.juggler.server.ops;

import io.juggler.broker.BrokerAdmin;
import io.juggler.broker.QueueInfo;
import io.juggler.config.JugglerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Queue-depth gauges, read from Redis with one bounded SCAN when scraped and cached for {@code
 * juggler.registry.interval}, so scrapes cost Redis at most one scan per interval. While Redis is
 * unreachable they keep the last values. Cluster-wide figures: every instance reports the same.
 */
@ApplicationScoped
public class QueueGauges {

  private static final Logger LOG = Logger.getLogger(QueueGauges.class.getName());

  static final int SCAN_COUNT = 1_000;
  static final int SCAN_ROUNDS = 50;

  @Inject MetricRegistry metrics;

  @Inject BrokerAdmin queues;

  @Inject JugglerConfig config;

  private volatile List<QueueInfo> last = List.of();
  private volatile long readAt;

  // the web module's start (payload ServletContext), not the application's: in an EAR on Payara
  // Server that one reaches observers outside this module's naming context (@Resource fails)
  void start(@Observes @Initialized(ApplicationScoped.class) ServletContext ignored) {
    for (String kind : List.of(QueueInfo.CALLS, QueueInfo.RESULTS)) {
      Tag tag = new Tag("kind", kind);
      metrics.gauge("juggler.queue.depth", () -> sum(kind, QueueInfo::depth), tag);
      metrics.gauge("juggler.queue.lists", () -> count(kind), tag);
      metrics.gauge(
          "juggler.queue.oldest.age.millis", () -> max(kind, QueueInfo::oldestAgeMillis), tag);
    }
  }

  private synchronized List<QueueInfo> queues() {
    long now = System.nanoTime();
    if (readAt == 0 || now - readAt > config.registryInterval().toNanos()) {
      readAt = now;
      try {
        last = queues.queues(SCAN_COUNT, SCAN_ROUNDS).queues();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "queue gauges keep their last values: {0}", e.getMessage());
      }
    }
    return last;
  }

  private long sum(String kind, ToLongFunction<QueueInfo> f) {
    return queues().stream().filter(q -> q.kind().equals(kind)).mapToLong(f).sum();
  }

  private long max(String kind, ToLongFunction<QueueInfo> f) {
    return queues().stream().filter(q -> q.kind().equals(kind)).mapToLong(f).max().orElse(0);
  }

  private long count(String kind) {
    return queues().stream().filter(q -> q.kind().equals(kind)).count();
  }
}
