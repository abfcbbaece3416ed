package io.juggler.admin;

import io.juggler.broker.BrokerAdmin;
import io.juggler.broker.QueueInfo;
import io.juggler.broker.QueueScan;
import io.juggler.config.JugglerConfig;
import io.juggler.registry.AuditLog;
import io.juggler.registry.ExpiredCall;
import io.juggler.registry.ExpiredRecord;
import io.juggler.registry.InstanceControl;
import io.juggler.registry.InstanceRegistry;
import io.juggler.registry.InstanceState;
import io.juggler.registry.InstanceState.Counters;
import io.juggler.registry.RegisteredInstance;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Samples the cluster registry once per {@code juggler.registry.interval} while the console is
 * enabled, and keeps the latest {@link Snapshot} and {@link #HISTORY} points of history for the
 * charts. Every console view reads from here, so however many browsers poll, Redis sees one set of
 * reads per interval: a ZRANGE and one script reading the instance states with their PTTLs (which
 * tell the silent ones, see {@link RegisteredInstance}), the expiry counts and recent list, the
 * audit list, and one bounded SCAN of the call and results lists ({@link #SCAN_COUNT} keys per
 * round trip, at most {@link #SCAN_ROUNDS} round trips).
 */
@ApplicationScoped
public class ClusterMonitor {

  private static final Logger LOG = Logger.getLogger(ClusterMonitor.class.getName());

  /** Points of history kept (ten minutes at the default 2 s interval). */
  static final int HISTORY = 300;

  static final int SCAN_COUNT = 1_000;
  static final int SCAN_ROUNDS = 50;

  /**
   * The cluster as last sampled.
   *
   * @param redisError null when Redis answered, else why not (the rest is then the last good data)
   * @param instances every instance state the registry holds, live or silent (see {@link
   *     RegisteredInstance}): live totals count only the live ones
   */
  public record Snapshot(
      long at,
      String redisError,
      List<RegisteredInstance> instances,
      Map<String, Long> expired,
      List<ExpiredCall> recentExpired,
      QueueScan queues,
      List<AuditLog.Entry> audit,
      List<AuditLog.Entry> refusals) {

    static final Snapshot EMPTY =
        new Snapshot(
            0,
            "not sampled yet",
            List.of(),
            Map.of(),
            List.of(),
            new QueueScan(List.of(), true, 0),
            List.of(),
            List.of());

    /** The instances that publish on time, whose figures are live. */
    public List<InstanceState> live() {
      return instances.stream()
          .filter(RegisteredInstance::live)
          .map(RegisteredInstance::state)
          .toList();
    }

    /** How many instances are silent (most likely dead; their figures are the last they told). */
    public long silentCount() {
      return instances.stream().filter(RegisteredInstance::silent).count();
    }

    /** Connections on live instances. */
    public long totalConnections() {
      return live().stream().mapToLong(InstanceState::connectionCount).sum();
    }

    public long queuedCalls() {
      return queues.queues().stream()
          .filter(q -> q.kind().equals(QueueInfo.CALLS))
          .mapToLong(QueueInfo::depth)
          .sum();
    }

    /**
     * A cumulative counter summed over every state held, silent ones included: counters are
     * history, not live figures, and a silent instance that publishes again must not look like a
     * new one to {@link ClusterMonitor#rate} (its whole count would show as one interval's growth).
     */
    public long counter(String name) {
      return instances.stream().mapToLong(i -> i.state().counter(name)).sum();
    }
  }

  /** One point of the charts: rates per second over the last interval, depths, latencies. */
  public record Point(
      long at,
      double callRate,
      double resultRate,
      double eventRate,
      long queuedCalls,
      long latencyMeanMicros,
      long latencyP99Micros) {}

  @Inject JugglerConfig config;

  @Inject InstanceRegistry instances;

  @Inject InstanceControl control;

  @Inject ExpiredRecord expired;

  @Inject BrokerAdmin queues;

  @Inject AuditLog audit;

  @Resource ManagedThreadFactory threads;

  private volatile Snapshot snapshot = Snapshot.EMPTY;
  private final Deque<Point> history = new ArrayDeque<>();
  private Thread thread;
  private volatile boolean stopping;

  /** Starts sampling if the console is enabled; called once by {@link ConsoleStartup}. */
  public void start() {
    if (!config.admin().enabled()) {
      LOG.log(
          Level.INFO,
          "operations console disabled: set {0} to enable it at /admin/",
          JugglerConfig.ADMIN_PASSWORD);
      return;
    }
    thread = threads.newThread(this::run);
    thread.setName("juggler-admin-monitor");
    thread.start();
    LOG.log(Level.INFO, "operations console enabled at /admin/ for {0}", config.admin().user());
  }

  private void run() {
    long interval = config.registryInterval().toMillis();
    while (!stopping) {
      sample();
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Reads the registry now (also after a console action, so the next render shows its effect). */
  synchronized void sample() {
    Snapshot previous = snapshot;
    Snapshot next;
    try {
      next =
          new Snapshot(
              System.currentTimeMillis(),
              null,
              instances.instances(),
              expired.expiredCounts(),
              expired.recentExpired(100),
              queues.queues(SCAN_COUNT, SCAN_ROUNDS),
              audit.recentAudit(20),
              audit.recentRefusals(10));
    } catch (RuntimeException e) {
      if (previous.redisError() == null) {
        LOG.log(Level.WARNING, "console: cannot read the registry: {0}", e.getMessage());
      }
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      snapshot =
          new Snapshot(
              System.currentTimeMillis(),
              why,
              previous.instances(),
              previous.expired(),
              previous.recentExpired(),
              previous.queues(),
              previous.audit(),
              previous.refusals());
      return;
    }
    if (previous.at() > 0 && previous.redisError() == null) {
      addPoint(previous, next);
    }
    snapshot = next;
  }

  private void addPoint(Snapshot a, Snapshot b) {
    double seconds = Math.max(0.001, (b.at() - a.at()) / 1000.0);
    long latencyCount = b.counter(Counters.LATENCY_COUNT) - a.counter(Counters.LATENCY_COUNT);
    long latencySum =
        b.counter(Counters.LATENCY_SUM_MICROS) - a.counter(Counters.LATENCY_SUM_MICROS);
    Point p =
        new Point(
            b.at(),
            rate(a, b, Counters.CALLS, seconds),
            rate(a, b, Counters.RESULTS, seconds),
            rate(a, b, Counters.EVENTS, seconds),
            b.queuedCalls(),
            latencyCount > 0 && latencySum >= 0 ? latencySum / latencyCount : 0,
            b.live().stream().mapToLong(InstanceState::latencyP99Micros).max().orElse(0));
    synchronized (history) {
      history.addLast(p);
      while (history.size() > HISTORY) {
        history.removeFirst();
      }
    }
  }

  /**
   * Counter growth per second; an instance that disappeared does not make it negative. Silent
   * instances count too: their counters do not grow, and one that comes back continues from its
   * last count.
   */
  static double rate(Snapshot a, Snapshot b, String counter, double seconds) {
    Map<String, Long> before = new HashMap<>();
    a.instances().forEach(i -> before.put(i.id(), i.state().counter(counter)));
    long delta = 0;
    for (RegisteredInstance r : b.instances()) {
      // a new instance counts from 0: its counters started with it
      long now = r.state().counter(counter);
      delta += Math.max(0, now - before.getOrDefault(r.id(), 0L));
    }
    return delta / seconds;
  }

  /** How long a page that starts watching details waits for the instances' fresh states. */
  static final Duration FIRST_VIEW_WAIT = Duration.ofMillis(800);

  private long watchConnectionsAt;
  private long watchSubscriptionsAt;

  /**
   * Asks the instances to include their connection lists for a while (the Connections page calls
   * this on every render; Redis sees one SET per interval at most). When nobody was watching, the
   * instances are asked to publish at once and the registry is sampled again, so the first view is
   * complete (within {@link #FIRST_VIEW_WAIT}) rather than filled in over the next intervals.
   */
  synchronized void watchConnections() {
    watchConnectionsAt = watch(watchConnectionsAt, true);
  }

  /** The same for subscription counts (the Pub-sub page). */
  synchronized void watchSubscriptions() {
    watchSubscriptionsAt = watch(watchSubscriptionsAt, false);
  }

  private long watch(long last, boolean connections) {
    long now = System.nanoTime();
    Duration interval = config.registryInterval();
    if (last != 0 && now - last < interval.toNanos()) {
      return last;
    }
    Duration span =
        interval.multipliedBy(5).compareTo(Duration.ofSeconds(10)) > 0
            ? interval.multipliedBy(5)
            : Duration.ofSeconds(10);
    try {
      boolean first =
          connections ? instances.watchConnections(span) : instances.watchSubscriptions(span);
      if (first) {
        publishNow();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "console: cannot ask for details: {0}", e.getMessage());
    }
    return now;
  }

  /**
   * Asks every instance to publish its state now, waits until each live one has published again (at
   * most {@link #FIRST_VIEW_WAIT}; a silent one is most likely dead and would never answer), and
   * samples.
   */
  private void publishNow() {
    Map<String, Long> before = new HashMap<>();
    instances.instances().stream()
        .filter(RegisteredInstance::live)
        .forEach(i -> before.put(i.id(), i.state().publishedAt()));
    control.requestPublication(config.admin().user());
    long deadline = System.nanoTime() + FIRST_VIEW_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, Long> now = new HashMap<>();
      instances.instances().forEach(i -> now.put(i.id(), i.state().publishedAt()));
      if (allPublishedSince(before, now)) {
        break;
      }
      try {
        Thread.sleep(25); // a few Redis reads, only when a console starts watching
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    sample();
  }

  /**
   * True when every instance of {@code before} (id to the time of its publication then) has
   * published again in {@code now}, or is gone.
   */
  static boolean allPublishedSince(Map<String, Long> before, Map<String, Long> now) {
    for (Map.Entry<String, Long> e : before.entrySet()) {
      Long published = now.get(e.getKey());
      if (published != null && published.equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  public List<Point> history() {
    synchronized (history) {
      return new ArrayList<>(history);
    }
  }

  /** The newest point, or zeros before two samples were taken. */
  public Point latest() {
    synchronized (history) {
      return history.isEmpty() ? new Point(0, 0, 0, 0, 0, 0, 0) : history.getLast();
    }
  }

  @PreDestroy
  void stop() {
    stopping = true;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
