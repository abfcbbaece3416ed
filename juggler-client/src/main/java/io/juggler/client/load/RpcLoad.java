package io.juggler.client.load;

import io.juggler.client.CallExpiredException;
import io.juggler.client.CallRejectedException;
import io.juggler.client.JugglerClient;
import io.juggler.client.RequestFuture;
import io.juggler.message.RawJson;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * RPC load: every connection calls the URI at a fixed rate (open loop, paced by one {@link Pacer})
 * or keeps a fixed number of calls in flight, sending the next one from the completion of the
 * previous (closed loop, like the reference's negative {@code -r}). A call counts when it was sent
 * during the measured window; its outcome is counted whenever it comes, so at the end {@code calls
 * = results + nacks + expired + failed}.
 */
final class RpcLoad {

  /** The outcome of a run. */
  record Report(
      LoadOptions options,
      int connected,
      Duration measured,
      long calls,
      long acks,
      long results,
      long nacks,
      long expired,
      long failed,
      int connectionErrors,
      String firstConnectionError,
      Latency.Percentiles latency) {

    double resultsPerSecond() {
      return perSecond(results);
    }

    double callsPerSecond() {
      return perSecond(calls);
    }

    private double perSecond(long n) {
      double s = measured.toNanos() / 1e9;
      return s <= 0 ? 0 : n / s;
    }
  }

  private final LoadOptions options;
  private final PrintStream progress;
  private final Timeline timeline = new Timeline();
  private final Latency latency = new Latency();
  private final LongAdder calls = new LongAdder();
  private final LongAdder acks = new LongAdder();
  private final LongAdder results = new LongAdder();
  private final LongAdder nacks = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder intervalDone = new LongAdder();
  private final LongAdder intervalErrors = new LongAdder();

  RpcLoad(LoadOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Runs the load; {@code null} when no connection could be opened. */
  Report run() throws InterruptedException {
    Connections connections = new Connections(options);
    List<JugglerClient> clients = connections.open(options.connections());
    if (clients.isEmpty()) {
      return new Report(
          options,
          0,
          Duration.ZERO,
          0,
          0,
          0,
          0,
          0,
          0,
          connections.errors(),
          connections.firstError(),
          latency.total());
    }
    Pacer pacer = null;
    if (options.rate() != null) {
      pacer = new Pacer();
      for (JugglerClient c : clients) {
        pacer.add(options.rate(), intended -> send(c, intended, false));
      }
      pacer.start();
    } else {
      for (JugglerClient c : clients) {
        for (int i = 0; i < options.concurrency(); i++) {
          send(c, System.nanoTime(), true);
        }
      }
    }
    timeline.run(
        options.warmup(),
        options.duration(),
        options.quiet() ? null : progress,
        second -> progressLine(second, clients));
    if (pacer != null) {
      pacer.stop();
    }
    // every call ends by RES, NACK or its local expiry: wait for the last ones
    Timeline.await(
        () -> clients.stream().mapToInt(JugglerClient::pendingRequests).sum() == 0,
        options.timeout().plusSeconds(2));
    connections.closeAll();
    return new Report(
        options,
        clients.size(),
        timeline.measured(),
        calls.sum(),
        acks.sum(),
        results.sum(),
        nacks.sum(),
        expired.sum(),
        failed.sum(),
        connections.errors(),
        connections.firstError(),
        latency.total());
  }

  /**
   * Sends one call; in closed loop its completion sends the next. Runs on the pacer thread or on a
   * receiving thread, so it never blocks.
   */
  private void send(JugglerClient client, long startNanos, boolean closedLoop) {
    if (!timeline.running() || !client.isOpen()) {
      return;
    }
    boolean measured = timeline.measuring();
    if (measured) {
      calls.increment();
    }
    RequestFuture<RawJson> f = client.call(options.uri(), options.payload(), options.timeout());
    f.whenComplete(
        (result, error) -> {
          long now = System.nanoTime();
          completed(f, error, now - startNanos, measured);
          if (closedLoop) {
            send(client, now, true);
          }
        });
  }

  private void completed(RequestFuture<?> f, Throwable error, long nanos, boolean measured) {
    intervalDone.increment();
    if (error == null) {
      latency.record(nanos, measured);
    } else {
      intervalErrors.increment();
    }
    if (!measured) {
      return;
    }
    if (f.isAcknowledged()) {
      acks.increment();
    }
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause == null) {
      results.increment();
    } else if (cause instanceof CallRejectedException) {
      nacks.increment();
    } else if (cause instanceof CallExpiredException) {
      expired.increment();
    } else {
      failed.increment();
    }
  }

  private String progressLine(long second, List<JugglerClient> clients) {
    long done = intervalDone.sumThenReset();
    long errors = intervalErrors.sumThenReset();
    int inFlight = 0;
    for (JugglerClient c : clients) {
      inFlight += c.pendingRequests();
    }
    Latency.Percentiles p = latency.interval();
    return String.format(
        "%4ds  calls/s %7d  in flight %6d  errors %5d  p50 %8.3f ms  p99 %8.3f ms",
        second, done, inFlight, errors, p.p50(), p.p99());
  }
}
