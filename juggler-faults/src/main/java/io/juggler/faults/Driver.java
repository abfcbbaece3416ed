package io.juggler.faults;

import io.juggler.client.CallExpiredException;
import io.juggler.client.CallRejectedException;
import io.juggler.client.ClientOptions;
import io.juggler.client.JugglerClient;
import io.juggler.client.RequestFuture;
import io.juggler.message.RawJson;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Steady RPC load for the fault suite, with the Java client: {@code connections} websocket
 * connections, each calling every URI of {@code uris} at {@code rate} calls per second, open loop
 * (a call is sent on time whatever became of the previous ones). Every call is recorded ({@link
 * CallRecord}): when it was sent, whether it was ACKed, how it ended and when. A connection that
 * closes is replaced by a new one (the Java client does not reconnect by itself: the application
 * does, as here), and the time that took is recorded.
 */
final class Driver implements AutoCloseable {

  /** How one call ended. */
  enum Outcome {
    RES,
    NACK,
    EXPIRED,
    /** The connection closed before an answer: the client knows its call's fate is unknown. */
    CONNECTION_LOST,
    /** Not sent: no connection at the time. */
    NOT_SENT,
    /** No outcome by the end of the run. */
    STUCK
  }

  /** One call as the client saw it. Times are {@link System#nanoTime()}. */
  static final class CallRecord {
    final String uri;
    final long sentNanos;
    final long deadlineNanos;
    volatile boolean acked;
    volatile Outcome outcome;
    volatile long endNanos;
    volatile int nackCode;
    volatile String result;
    volatile String uuid;

    CallRecord(String uri, long sentNanos, long deadlineNanos) {
      this.uri = uri;
      this.sentNanos = sentNanos;
      this.deadlineNanos = deadlineNanos;
    }
  }

  private final URI url;
  private final List<String> uris;
  private final RawJson args;
  private final Duration timeout;
  private final double rate;
  private final ScheduledExecutorService pacer;
  private final List<AtomicReference<JugglerClient>> slots = new ArrayList<>();
  private final ConcurrentLinkedQueue<CallRecord> records = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<long[]> reconnects = new ConcurrentLinkedQueue<>();
  private final AtomicInteger connectFailures = new AtomicInteger();
  private final AtomicLong connectionsOpened = new AtomicLong();
  private volatile boolean sending;
  private volatile boolean closed;
  private final boolean resuming;

  Driver(URI url, int connections, List<String> uris, RawJson args, Duration timeout, double rate) {
    this(url, connections, uris, args, timeout, rate, false);
  }

  /**
   * @param resuming whether each connection has a session (issue 23) and is resumed when it closes,
   *     its pending calls carried over ({@link JugglerClient#resume()}); otherwise a closed
   *     connection's calls end as {@link Outcome#CONNECTION_LOST} and a new connection replaces it
   */
  Driver(
      URI url,
      int connections,
      List<String> uris,
      RawJson args,
      Duration timeout,
      double rate,
      boolean resuming) {
    this.resuming = resuming;
    this.url = url;
    this.uris = List.copyOf(uris);
    this.args = args;
    this.timeout = timeout;
    this.rate = rate;
    this.pacer =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "faults-driver");
              t.setDaemon(true);
              return t;
            });
    for (int i = 0; i < connections; i++) {
      slots.add(new AtomicReference<>());
    }
  }

  /** Opens the connections and starts calling. */
  void start() {
    for (AtomicReference<JugglerClient> slot : slots) {
      slot.set(open(slot));
      if (slot.get() == null) {
        throw new IllegalStateException("cannot connect to " + url);
      }
    }
    sending = true;
    long periodNanos = (long) (1e9 / rate);
    for (int i = 0; i < slots.size(); i++) {
      AtomicReference<JugglerClient> slot = slots.get(i);
      for (String uri : uris) {
        // spread the connections' calls over the period
        long offset = periodNanos * i / slots.size();
        pacer.scheduleAtFixedRate(() -> send(slot, uri), offset, periodNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  private JugglerClient open(AtomicReference<JugglerClient> slot) {
    try {
      ClientOptions.Builder options = ClientOptions.builder().connectTimeout(Duration.ofSeconds(5));
      if (resuming) {
        options.newSession();
      }
      JugglerClient c = JugglerClient.connect(url, options.build());
      connectionsOpened.incrementAndGet();
      c.closeFuture().whenComplete((e, x) -> reconnect(slot, c));
      return c;
    } catch (RuntimeException e) {
      connectFailures.incrementAndGet();
      return null;
    }
  }

  /** Replaces a closed connection: retries every 100 ms until one opens. */
  private void reconnect(AtomicReference<JugglerClient> slot, JugglerClient dead) {
    if (closed || slot.get() != dead) {
      return;
    }
    long since = System.nanoTime();
    pacer.execute(
        () -> {
          while (!closed) {
            JugglerClient c = resuming ? resume(slot, dead) : open(slot);
            if (c != null) {
              slot.set(c);
              reconnects.add(new long[] {since, System.nanoTime()});
              return;
            }
            try {
              Thread.sleep(100);
            } catch (InterruptedException e) {
              return;
            }
          }
        });
  }

  /** The connection resuming {@code dead}'s session, or null (try again); a fresh one without. */
  private JugglerClient resume(AtomicReference<JugglerClient> slot, JugglerClient dead) {
    try {
      JugglerClient c = dead.resume();
      connectionsOpened.incrementAndGet();
      c.closeFuture().whenComplete((e, x) -> reconnect(slot, c));
      return c;
    } catch (IllegalStateException e) {
      return open(slot); // it never got its session: its calls are lost like anyone's
    } catch (RuntimeException e) {
      connectFailures.incrementAndGet();
      return null;
    }
  }

  private void send(AtomicReference<JugglerClient> slot, String uri) {
    if (!sending) {
      return;
    }
    long now = System.nanoTime();
    CallRecord r = new CallRecord(uri, now, now + timeout.toNanos());
    records.add(r);
    JugglerClient c = slot.get();
    if (c == null || !c.isOpen()) {
      r.outcome = Outcome.NOT_SENT;
      r.endNanos = now;
      return;
    }
    RequestFuture<RawJson> f = c.call(uri, args, timeout);
    r.uuid = f.uuid();
    f.whenComplete(
        (res, error) -> {
          r.endNanos = System.nanoTime();
          r.acked = f.isAcknowledged() || error == null;
          Throwable cause =
              error instanceof CompletionException && error.getCause() != null
                  ? error.getCause()
                  : error;
          if (cause == null) {
            r.result = res == null ? null : res.json();
            r.outcome = Outcome.RES;
          } else if (cause instanceof CallRejectedException n) {
            r.nackCode = n.code();
            r.outcome = Outcome.NACK;
          } else if (cause instanceof CallExpiredException) {
            r.outcome = Outcome.EXPIRED;
          } else {
            r.outcome = Outcome.CONNECTION_LOST;
          }
        });
  }

  /** Stops sending; waits until every call sent has an outcome (at most the timeout + 3 s). */
  void stopSending() throws InterruptedException {
    sending = false;
    long deadline = System.nanoTime() + timeout.plusSeconds(3).toNanos();
    while (System.nanoTime() < deadline) {
      if (records.stream().allMatch(r -> r.outcome != null)) {
        break;
      }
      Thread.sleep(50);
    }
    for (CallRecord r : records) {
      if (r.outcome == null) {
        r.outcome = Outcome.STUCK;
      }
    }
  }

  List<CallRecord> records() {
    return List.copyOf(records);
  }

  /** Each replaced connection: {closed seen (nanos), new one open (nanos)}. */
  List<long[]> reconnects() {
    return List.copyOf(reconnects);
  }

  int connectFailures() {
    return connectFailures.get();
  }

  long connectionsOpened() {
    return connectionsOpened.get();
  }

  @Override
  public void close() {
    closed = true;
    sending = false;
    pacer.shutdownNow();
    for (AtomicReference<JugglerClient> slot : slots) {
      JugglerClient c = slot.get();
      if (c != null) {
        c.close();
      }
    }
  }
}
