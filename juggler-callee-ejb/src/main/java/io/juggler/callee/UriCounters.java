package io.juggler.callee;

import io.juggler.registry.InstanceState;
import io.juggler.stats.Samples;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Counters of one URI: for the registry ({@link #stats}), and {@code juggler_callee_calls_total} by
 * outcome, {@code juggler_callee_redeliveries_total} and {@code juggler_callee_requeued_total}
 * (looked up once, not per call). Thread-safe.
 */
final class UriCounters {

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong expired = new AtomicLong();
  private final Samples serviceMicros = new Samples(1024);
  private final Map<Invoker.Outcome, Counter> byOutcome = new EnumMap<>(Invoker.Outcome.class);
  private final Counter redeliveries;
  private final Counter requeued;

  UriCounters(MetricRegistry registry, String uri) {
    redeliveries = registry.counter("juggler.callee.redeliveries", new Tag("uri", uri));
    requeued = registry.counter("juggler.callee.requeued", new Tag("uri", uri));
    for (Invoker.Outcome o : Invoker.Outcome.values()) {
      byOutcome.put(
          o,
          registry.counter(
              "juggler.callee.calls",
              new Tag("uri", uri),
              new Tag("outcome", o.name().toLowerCase(Locale.ROOT))));
    }
  }

  /** One call run: its outcome, service time, and whether it ran before ({@code attempt} > 1). */
  void record(Invoker.Outcome outcome, long micros, int attempt) {
    byOutcome.get(outcome).inc();
    calls.incrementAndGet();
    serviceMicros.add(micros);
    switch (outcome) {
      case FAILED_FUNCTION, STORE_FAILED -> failed.incrementAndGet();
      case EXPIRED -> expired.incrementAndGet();
      default -> {}
    }
    if (attempt > 1) {
      redeliveries.inc();
    }
  }

  /** Calls returned to the queue after their owner's lease expired. */
  void requeued(long n) {
    requeued.inc(n);
  }

  /**
   * Calls run, failures, expiries, and mean and p99 service time of the last 1024 calls, for the
   * registry.
   */
  InstanceState.UriStats stats(String uri, int workers) {
    return new InstanceState.UriStats(
        uri,
        workers,
        calls.get(),
        failed.get(),
        expired.get(),
        serviceMicros.mean(),
        serviceMicros.percentile(99));
  }
}
