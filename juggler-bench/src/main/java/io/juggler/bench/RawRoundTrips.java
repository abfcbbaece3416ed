package io.juggler.bench;

import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.ReceivedCall;
import io.juggler.broker.redis.RedisBroker;
import io.juggler.broker.redis.RedisSettings;
import io.juggler.message.CallPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Recorder;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.KeyValue;

/**
 * Scenario 0, the ceiling: request/response round trips through Redis lists with the same client
 * library, no websocket and no server. One producer pushes a request and blocks for its reply; one
 * consumer blocks for requests and pushes replies. Measured raw (LPUSH/BRPOP of small strings) and
 * through the broker (register script with JSON payloads and expiry keys, atomic TTL take on both
 * legs: exactly the Redis work one juggler CALL costs).
 */
final class RawRoundTrips {

  private RawRoundTrips() {}

  static Map<String, Object> raw(HostAndPort redis, int pairs, Duration duration)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    Recorder latency = new Recorder(3);
    long[] counts = new long[pairs];
    List<Thread> threads = new ArrayList<>();
    String run = Uuids.random().substring(0, 8);
    for (int p = 0; p < pairs; p++) {
      int pair = p;
      String req = "bench:" + run + ":req:" + p;
      String resp = "bench:" + run + ":resp:" + p;
      threads.add(
          new Thread(
              () -> {
                try (Jedis j = new Jedis(redis)) {
                  while (!stop.get()) {
                    KeyValue<String, String> kv = j.brpop(1.0, req);
                    if (kv != null) {
                      j.lpush(resp, kv.getValue());
                    }
                  }
                }
              }));
      threads.add(
          new Thread(
              () -> {
                try (Jedis j = new Jedis(redis)) {
                  while (!stop.get()) {
                    long t0 = System.nanoTime();
                    j.lpush(req, "x");
                    if (j.brpop(5.0, resp) != null) {
                      latency.recordValue((System.nanoTime() - t0) / 1_000);
                      counts[pair]++;
                    }
                  }
                }
              }));
    }
    return measure(threads, stop, latency, counts, duration);
  }

  static Map<String, Object> broker(URI redis, int pairs, Duration duration)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    Recorder latency = new Recorder(3);
    long[] counts = new long[pairs];
    List<Thread> threads = new ArrayList<>();
    RedisSettings settings =
        new RedisSettings(
            List.of(redis),
            List.of(redis),
            false,
            4 * pairs,
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            0,
            0,
            false);
    RedisBroker broker = new RedisBroker(settings, BrokerMetrics.NONE);
    String run = Uuids.random().substring(0, 8);
    RawJson args = RawJson.of("{\"hello\":\"world\"}");
    for (int p = 0; p < pairs; p++) {
      int pair = p;
      String uri = "bench." + run + "." + p;
      String conn = Uuids.random();
      threads.add(
          new Thread(
              () -> {
                while (!stop.get()) {
                  Optional<ReceivedCall> c = broker.takeCall(List.of(uri), Duration.ofSeconds(1));
                  c.ifPresent(
                      call ->
                          broker.storeResult(
                              new CallPayload(
                                  call.payload().connUuid(),
                                  call.payload().msgUuid(),
                                  uri,
                                  call.payload().args()),
                              call.remainingMillis(System.nanoTime())));
                }
              }));
      threads.add(
          new Thread(
              () -> {
                while (!stop.get()) {
                  long t0 = System.nanoTime();
                  broker.call(new CallPayload(conn, Uuids.random(), uri, args), 5_000);
                  if (broker.takeResult(conn, Duration.ofSeconds(5)).isPresent()) {
                    latency.recordValue((System.nanoTime() - t0) / 1_000);
                    counts[pair]++;
                  }
                }
              }));
    }
    try {
      return measure(threads, stop, latency, counts, duration);
    } finally {
      broker.close();
    }
  }

  private static Map<String, Object> measure(
      List<Thread> threads, AtomicBoolean stop, Recorder latency, long[] counts, Duration duration)
      throws InterruptedException {
    threads.forEach(Thread::start);
    Thread.sleep(Math.min(2_000, duration.toMillis() / 5)); // warm-up
    latency.reset();
    long before = sum(counts);
    long t0 = System.nanoTime();
    Thread.sleep(duration.toMillis());
    long done = sum(counts) - before;
    double seconds = (System.nanoTime() - t0) / 1e9;
    var histogram = latency.getIntervalHistogram();
    stop.set(true);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("roundTripsPerSecond", Math.round(done / seconds));
    r.putAll(Percentiles.of(histogram));
    return r;
  }

  private static long sum(long[] counts) {
    long s = 0;
    for (long c : counts) {
      s += c;
    }
    return s;
  }
}
