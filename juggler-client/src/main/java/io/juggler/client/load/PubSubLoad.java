package io.juggler.client.load;

import io.juggler.client.Event;
import io.juggler.client.JugglerClient;
import io.juggler.client.RequestFuture;
import io.juggler.client.RequestRejectedException;
import io.juggler.client.Subscription;
import io.juggler.message.RawJson;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Pub-sub load: subscriber connections subscribe to one channel, then publisher connections publish
 * on it at a fixed total rate (paced by one {@link Pacer}). Each publication carries its send time
 * ({@link System#nanoTime()}: publishers and subscribers share this process) and whether it was
 * sent in the measured window: {@code {"t":<nanos>,"m":1,"p":"<padding>"}}. A subscriber missed
 * every measured publication that was ACKed but never reached it.
 */
final class PubSubLoad {

  /** The outcome of a run. */
  record Report(
      LoadOptions options,
      int subscribersConnected,
      int publishersConnected,
      Duration measured,
      long published,
      long acks,
      long nacks,
      long failed,
      long expectedDeliveries,
      long delivered,
      List<Long> missedPerSubscriber,
      int connectionErrors,
      String firstConnectionError,
      Latency.Percentiles latency) {

    long missed() {
      return missedPerSubscriber.stream().mapToLong(Long::longValue).sum();
    }

    double deliveredPerSecond() {
      double s = measured.toNanos() / 1e9;
      return s <= 0 ? 0 : delivered / s;
    }
  }

  /** How long the end of a run waits for deliveries still on their way, at most. */
  static final Duration SETTLE_MAX = Duration.ofSeconds(60);

  /** The end of a run stops waiting when no event came for this long. */
  static final Duration SETTLE_QUIET = Duration.ofSeconds(2);

  private final LoadOptions options;
  private final PrintStream progress;
  private final Timeline timeline = new Timeline();
  private final Latency latency = new Latency();
  private final LongAdder published = new LongAdder();
  private final LongAdder acks = new LongAdder();
  private final LongAdder nacks = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder intervalDelivered = new LongAdder();
  private final LongAdder intervalPublished = new LongAdder();
  private final String padding;

  PubSubLoad(LoadOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
    this.padding = "x".repeat(options.padding());
  }

  /** Runs the load; the report has no connections when none could be opened. */
  Report run() throws InterruptedException {
    Connections connections = new Connections(options);
    List<JugglerClient> subscribers = connections.open(options.subscribers());
    List<AtomicLong> received = new ArrayList<>();
    List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
    for (JugglerClient s : subscribers) {
      AtomicLong count = new AtomicLong();
      received.add(count);
      Subscription sub = s.subscribe(options.channel(), false, e -> delivered(e, count));
      acknowledged.add(sub.acknowledged().exceptionally(e -> null));
    }
    try {
      CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new))
          .get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // subscriptions not acknowledged in time still count: their events would be missed
    }
    List<JugglerClient> publishers = connections.open(options.publishers());
    if (subscribers.isEmpty() || publishers.isEmpty()) {
      connections.closeAll();
      return report(connections, subscribers, publishers, received, 0);
    }
    Pacer pacer = new Pacer();
    double each = options.publishRate() / publishers.size();
    for (JugglerClient p : publishers) {
      pacer.add(each, intended -> publish(p, intended));
    }
    pacer.start();
    timeline.run(
        options.warmup(),
        options.duration(),
        options.quiet() ? null : progress,
        second -> progressLine(second, publishers));
    pacer.stop();
    Timeline.await(
        () -> publishers.stream().mapToInt(JugglerClient::pendingRequests).sum() == 0,
        options.timeout().plusSeconds(2));
    // let deliveries settle: until every subscriber has every ACKed publication, or no new event
    // came for 2 s (a server working off a backlog keeps delivering), at most SETTLE_MAX
    long expectedEach = acks.sum();
    long deadline = System.nanoTime() + SETTLE_MAX.toNanos();
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() - deadline < 0) {
      long total = received.stream().mapToLong(AtomicLong::get).sum();
      if (total >= expectedEach * received.size()) {
        break;
      }
      if (total != last) {
        last = total;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > SETTLE_QUIET.toNanos()) {
        break;
      }
      LockSupport.parkNanos(10_000_000L);
    }
    connections.closeAll();
    return report(connections, subscribers, publishers, received, expectedEach);
  }

  private Report report(
      Connections connections,
      List<JugglerClient> subscribers,
      List<JugglerClient> publishers,
      List<AtomicLong> received,
      long expectedEach) {
    List<Long> missed = new ArrayList<>();
    long delivered = 0;
    for (AtomicLong r : received) {
      delivered += r.get();
      missed.add(Math.max(0, expectedEach - r.get()));
    }
    return new Report(
        options,
        subscribers.size(),
        publishers.size(),
        timeline.measured(),
        published.sum(),
        acks.sum(),
        nacks.sum(),
        failed.sum(),
        expectedEach * received.size(),
        delivered,
        missed,
        connections.errors(),
        connections.firstError(),
        latency.total());
  }

  private void publish(JugglerClient publisher, long intended) {
    if (!publisher.isOpen()) {
      return;
    }
    boolean measured = timeline.measuring();
    if (measured) {
      published.increment();
    }
    intervalPublished.increment();
    RawJson payload =
        RawJson.of(
            "{\"t\":" + intended + ",\"m\":" + (measured ? 1 : 0) + ",\"p\":\"" + padding + "\"}");
    RequestFuture<Void> f = publisher.publish(options.channel(), payload);
    if (measured) {
      f.whenComplete(
          (ok, error) -> {
            Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error;
            if (cause == null) {
              acks.increment();
            } else if (cause instanceof RequestRejectedException) {
              nacks.increment();
            } else {
              failed.increment();
            }
          });
    }
  }

  /** Runs on the subscriber's receiving thread. */
  private void delivered(Event e, AtomicLong count) {
    long now = System.nanoTime();
    String json = e.args().json();
    long sent = number(json, "\"t\":");
    long measured = number(json, "\"m\":");
    if (sent == Long.MIN_VALUE || measured == Long.MIN_VALUE) {
      return; // not one of ours
    }
    intervalDelivered.increment();
    latency.record(now - sent, measured == 1);
    if (measured == 1) {
      count.incrementAndGet();
    }
  }

  /** The integer after {@code key} in our own compact payload, or {@code Long.MIN_VALUE}. */
  static long number(String json, String key) {
    int i = json.indexOf(key);
    if (i < 0) {
      return Long.MIN_VALUE;
    }
    i += key.length();
    int start = i;
    if (i < json.length() && json.charAt(i) == '-') {
      i++;
    }
    while (i < json.length() && Character.isDigit(json.charAt(i))) {
      i++;
    }
    try {
      return Long.parseLong(json, start, i, 10);
    } catch (NumberFormatException ex) {
      return Long.MIN_VALUE;
    }
  }

  private String progressLine(long second, List<JugglerClient> publishers) {
    long pubs = intervalPublished.sumThenReset();
    long events = intervalDelivered.sumThenReset();
    int inFlight = 0;
    for (JugglerClient c : publishers) {
      inFlight += c.pendingRequests();
    }
    Latency.Percentiles p = latency.interval();
    return String.format(
        "%4ds  pub/s %7d  events/s %8d  unacked %6d  p50 %8.3f ms  p99 %8.3f ms",
        second, pubs, events, inFlight, p.p50(), p.p99());
  }
}
