package io.juggler.faults;

import io.juggler.broker.redis.RedisKeys;
import io.juggler.client.ClientOptions;
import io.juggler.client.Event;
import io.juggler.client.JugglerClient;
import io.juggler.client.RequestFuture;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import redis.clients.jedis.Jedis;

/**
 * Events on a channel with history during a fault (issue 23): a publisher and a subscriber, both
 * Java clients with a session that {@link JugglerClient#resume()} when their connection closes; the
 * subscriber's subscription then recovers what it missed. At the end, every offset of the channel's
 * history (its last one read from Redis) must have reached the subscriber once.
 */
final class HistoryProbe implements AutoCloseable {

  /** The channels the suite's servers keep a history of ({@code juggler.history.channels}). */
  static final String CHANNELS = "faults.history.* 100000 10m";

  private final String channel = "faults.history." + Uuids.random();
  private final URI url;
  private final String redisUrl;
  private final ScheduledExecutorService pacer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "faults-history");
            t.setDaemon(true);
            return t;
          });
  private final AtomicReference<JugglerClient> publisher = new AtomicReference<>();
  private final AtomicReference<JugglerClient> subscriber = new AtomicReference<>();
  private final Set<Long> received = new ConcurrentSkipListSet<>();
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicInteger published = new AtomicInteger();
  private final AtomicReference<RequestFuture<Void>> lastPublish = new AtomicReference<>();
  private final AtomicInteger resumes = new AtomicInteger();
  private volatile boolean closed;

  HistoryProbe(URI url, String redisUrl) {
    this.url = url;
    this.redisUrl = redisUrl;
  }

  /** Subscribes, then publishes {@code rate} events a second until {@link #result}. */
  void start(double rate) {
    ClientOptions options = ClientOptions.builder().newSession().build();
    subscriber.set(watch(subscriber, JugglerClient.connect(url, options)));
    subscriber.get().subscribe(channel, false, this::received).acknowledged().join();
    publisher.set(watch(publisher, JugglerClient.connect(url, options)));
    long period = (long) (1e9 / rate);
    pacer.scheduleAtFixedRate(this::publish, 0, period, TimeUnit.NANOSECONDS);
  }

  private void received(Event e) {
    deliveries.incrementAndGet();
    received.add(e.offset());
  }

  private void publish() {
    JugglerClient c = publisher.get();
    if (closed || c == null || !c.isOpen()) {
      return;
    }
    int n = published.incrementAndGet();
    RequestFuture<Void> f = c.publish(channel, RawJson.of(Integer.toString(n)));
    f.exceptionally(e -> null);
    lastPublish.set(f);
  }

  /** Resumes {@code c}'s session when its connection closes, retrying every 100 ms. */
  private JugglerClient watch(AtomicReference<JugglerClient> slot, JugglerClient c) {
    c.closeFuture()
        .whenComplete(
            (cause, x) ->
                pacer.execute(
                    () -> {
                      while (!closed && slot.get() == c) {
                        try {
                          JugglerClient next = c.resume();
                          resumes.incrementAndGet();
                          slot.set(watch(slot, next));
                          return;
                        } catch (RuntimeException e) {
                          sleep(100);
                        }
                      }
                    }));
    return c;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops publishing, waits up to {@code settle} for the subscriber to have every offset, and says
   * what it got: the history's last offset, events received, missed (offsets never received) and
   * duplicated, and how often the two clients resumed.
   */
  Map<String, Object> result(Duration settle) {
    closed = true;
    pacer.shutdown();
    // the history's top is read once the last PUB is answered (they are answered in order): one
    // still in flight would be received and not counted in the top
    RequestFuture<Void> last = lastPublish.get();
    if (last != null) {
      try {
        last.get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // failed or lost with its connection: the top is read all the same
      }
    }
    long top;
    try (Jedis j = new Jedis(URI.create(redisUrl))) {
      String t = j.hget(RedisKeys.historyMeta(channel), "top");
      top = t == null ? 0 : Long.parseLong(t);
    }
    long end = System.nanoTime() + settle.toNanos();
    while (System.nanoTime() < end && received.size() < top) {
      sleep(50);
    }
    long missed = 0;
    for (long i = 1; i <= top; i++) {
      if (!received.contains(i)) {
        missed++;
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("historyTop", top);
    r.put("eventsReceived", deliveries.get());
    r.put("eventsMissed", missed);
    r.put("eventsDuplicated", deliveries.get() - received.size());
    r.put("resumes", resumes.get());
    return r;
  }

  @Override
  public void close() {
    closed = true;
    pacer.shutdownNow();
    for (AtomicReference<JugglerClient> c : List.of(publisher, subscriber)) {
      JugglerClient client = c.get();
      if (client != null) {
        client.abort();
      }
    }
  }
}
