package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.juggler.registry.InstanceState.Counters;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.Test;

/**
 * What {@link ServerMetrics} tells the cluster registry of sessions, recoveries and cancels: each
 * registry counter sums the MicroProfile counters of its outcomes, and no others.
 */
class ServerMetricsTest {

  /** Counters by name and tags, as the metrics registry would hand them out. */
  private final Map<String, AtomicLong> counts = new HashMap<>();

  private final ServerMetrics metrics = new ServerMetrics();

  ServerMetricsTest() {
    metrics.registry = registry();
    metrics.init();
  }

  /** A registry whose counters count and whose histogram and gauges do nothing. */
  private MetricRegistry registry() {
    return (MetricRegistry)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {MetricRegistry.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "counter" ->
                      counter(counts.computeIfAbsent(key(args), k -> new AtomicLong()));
                  case "histogram" -> idle(Histogram.class);
                  default -> null;
                });
  }

  /** {@code name} or {@code name{tag=value,...}}, from a {@code counter(name, tags...)} call. */
  private static String key(Object[] args) {
    StringBuilder k = new StringBuilder((String) args[0]);
    if (args.length > 1 && ((Tag[]) args[1]).length > 0) {
      k.append('{');
      for (Tag t : (Tag[]) args[1]) {
        k.append(t.getTagName()).append('=').append(t.getTagValue()).append(',');
      }
      k.setCharAt(k.length() - 1, '}');
    }
    return k.toString();
  }

  private static Counter counter(AtomicLong n) {
    return (Counter)
        Proxy.newProxyInstance(
            ServerMetricsTest.class.getClassLoader(),
            new Class<?>[] {Counter.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "inc" -> {
                    n.addAndGet(args == null ? 1 : (Long) args[0]);
                    yield null;
                  }
                  case "getCount" -> n.get();
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static <T> T idle(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            ServerMetricsTest.class.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> method.getReturnType() == long.class ? 0L : null));
  }

  @Test
  void nothingCountedYetIsZero() {
    Map<String, Long> c = metrics.registryCounters();
    for (String name :
        new String[] {
          Counters.SESSIONS_CREATED,
          Counters.SESSIONS_RESUMED,
          Counters.SESSIONS_REFUSED,
          Counters.SESSION_RESULTS_RESUMED,
          Counters.SESSION_RESULTS_DROPPED,
          Counters.RECOVERIES_RECOVERED,
          Counters.RECOVERIES_NOT_RECOVERABLE,
          Counters.EVENTS_REPLAYED,
          Counters.CANCELLED_QUEUED,
          Counters.CANCELLED_RUNNING
        }) {
      assertEquals(0L, c.get(name), name);
    }
  }

  /** Counts {@code outcome} {@code n} times with {@code counter}. */
  private static void count(int n, Consumer<String> counter, String outcome) {
    for (int i = 0; i < n; i++) {
      counter.accept(outcome);
    }
  }

  @Test
  void sessionsRecoveriesAndCancelsAreSummedByOutcome() {
    // a different power of two per outcome: any wrong set of outcomes gives another sum
    count(1, metrics::session, "created");
    count(2, metrics::session, "resumed");
    count(4, metrics::session, "expired");
    count(8, metrics::session, "invalid");
    count(16, metrics::session, "foreign");
    count(32, metrics::session, "unavailable"); // no token was refused: Redis was away
    count(64, metrics::session, "disabled");
    count(1, metrics::sessionResult, "resumed");
    count(2, metrics::sessionResult, "parked"); // on its way, not yet delivered
    count(4, metrics::sessionResult, "forwarded");
    count(8, metrics::sessionResult, "adopted");
    count(16, metrics::sessionResult, "dropped");
    count(1, metrics::recovery, "recovered");
    count(2, metrics::recovery, "epoch_changed");
    count(4, metrics::recovery, "history_gone");
    count(8, metrics::recovery, "no_history"); // a channel without history: nothing to recover
    metrics.replayed(1_000);
    metrics.replayed(5);
    count(1, metrics::cancelled, "queued");
    count(2, metrics::cancelled, "running");

    Map<String, Long> c = metrics.registryCounters();
    assertEquals(1, c.get(Counters.SESSIONS_CREATED));
    assertEquals(2, c.get(Counters.SESSIONS_RESUMED));
    assertEquals(4 + 8 + 16, c.get(Counters.SESSIONS_REFUSED));
    assertEquals(1, c.get(Counters.SESSION_RESULTS_RESUMED));
    assertEquals(16, c.get(Counters.SESSION_RESULTS_DROPPED));
    assertEquals(1, c.get(Counters.RECOVERIES_RECOVERED));
    assertEquals(2 + 4, c.get(Counters.RECOVERIES_NOT_RECOVERABLE));
    assertEquals(1_005, c.get(Counters.EVENTS_REPLAYED));
    assertEquals(1, c.get(Counters.CANCELLED_QUEUED));
    assertEquals(2, c.get(Counters.CANCELLED_RUNNING));
    // and the MicroProfile counters themselves, one per outcome, as before
    assertEquals(2, counts.get("juggler.sessions{outcome=resumed}").get(), counts::toString);
    assertEquals(32, counts.get("juggler.sessions{outcome=unavailable}").get(), counts::toString);
    assertEquals(8, counts.get("juggler.subscriptions.recoveries{outcome=no_history}").get());
  }
}
