package io.juggler.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.redis.RedisKeys;
import io.juggler.client.JugglerClient;
import io.juggler.client.RequestFuture;
import io.juggler.message.RawJson;
import io.juggler.testing.redis.RedisProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Hardening item 2: nothing clients or instances that are gone leave behind stays in Redis. Two
 * Payara Micro processes on one Redis; 10,000 connections come and go, each leaving a call pending
 * for a URI nobody serves (half close properly, half vanish); then one instance is stopped and the
 * other killed. Once the calls' time is up (a 10 s maximum here), Redis holds only the cluster's
 * bounded history, itself set to expire ({@code RegistryLists.HISTORY_KEPT}).
 */
class LeftoversIT {

  private static final Path RUNTIME = Path.of("target/runtime");
  private static final int CONNECTIONS = 10_000;
  private static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);

  /** RegistryLists.HISTORY_KEPT in core (package-private there). */
  private static final Duration HISTORY_KEPT = Duration.ofDays(7);

  private static final Set<String> HISTORY =
      Set.of(
          RedisKeys.REGISTRY_EXPIRED, RedisKeys.REGISTRY_EXPIRED_RECENT, RedisKeys.REGISTRY_AUDIT);

  @Test
  void clientsAndInstancesThatAreGoneLeaveNothingButBoundedHistory() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        Jedis j = redis.jedis()) {
      long keysBefore = j.dbSize();
      long memoryBefore = usedMemory(j);
      Path work = Path.of("target/leftovers").toAbsolutePath();
      Map<String, String> env =
          Map.of(
              "JUGGLER_REDIS_URL",
              redis.url(),
              "JUGGLER_CALLS_MAX_TIMEOUT",
              MAX_TIMEOUT.toMillis() + "ms",
              "JUGGLER_CALLS_DEFAULT_TIMEOUT",
              MAX_TIMEOUT.toMillis() + "ms",
              "JUGGLER_REGISTRY_INTERVAL",
              "500ms",
              "JUGGLER_SERVER_PING_INTERVAL",
              "1s",
              "JUGGLER_CALLEE_DEMO_ENABLED",
              "true");
      int port1 = ManyServersIT.freePort();
      int port2 = ManyServersIT.freePort();
      List<String> jvm = List.of("-Xmx512m");
      PayaraMicro stopped =
          PayaraMicro.start(RUNTIME, work.resolve("s1"), port1, env, jvm, work.resolve("s1.log"));
      PayaraMicro killed =
          PayaraMicro.start(RUNTIME, work.resolve("s2"), port2, env, jvm, work.resolve("s2.log"));
      try {
        assertTrue(stopped.awaitReady(300), "server 1 not ready; see " + work + "/s1.log");
        assertTrue(killed.awaitReady(300), "server 2 not ready; see " + work + "/s2.log");
        List<URI> servers = List.of(ws(port1), ws(port2));

        AtomicInteger acknowledged = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
          List<Future<?>> done = new ArrayList<>();
          for (int i = 0; i < CONNECTIONS; i++) {
            int n = i;
            done.add(
                clients.submit(
                    () -> {
                      JugglerClient c = JugglerClient.connect(servers.get(n % 2));
                      RequestFuture<RawJson> call =
                          c.call(
                              "nobody.serves." + (n % 50),
                              RawJson.of(Integer.toString(n)),
                              MAX_TIMEOUT);
                      await()
                          .pollDelay(Duration.ZERO)
                          .pollInterval(Duration.ofMillis(5))
                          .atMost(Duration.ofSeconds(30))
                          .until(() -> call.isAcknowledged() || call.isDone());
                      assertTrue(call.isAcknowledged(), "no ACK: " + call);
                      acknowledged.incrementAndGet();
                      if (n % 2 == 0) {
                        c.close();
                      } else {
                        c.abort(); // vanishes: no close frame
                      }
                      return null;
                    }));
          }
          for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
          }
        } finally {
          clients.shutdownNow();
        }
        assertEquals(CONNECTIONS, acknowledged.get());
        long keysAtPeak = j.dbSize();
        long memoryAtPeak = usedMemory(j);
        System.out.printf(
            "LeftoversIT: %d keys, %d bytes used before; %d keys, %d bytes after %d connections%n",
            keysBefore, memoryBefore, keysAtPeak, memoryAtPeak, CONNECTIONS);
        assertTrue(keysAtPeak > 100, "calls were pending: " + keysAtPeak + " keys");
      } finally {
        stopped.close();
        ProcessHandle.of(killed.pid()).ifPresent(ProcessHandle::destroyForcibly);
        killed.close();
      }

      await("Redis back to its history")
          .atMost(MAX_TIMEOUT.multipliedBy(3))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                Set<String> keys = j.keys("*");
                assertTrue(HISTORY.containsAll(keys), () -> "left: " + describe(j, keys));
              });
      for (String key : j.keys("*")) {
        long ttl = j.pttl(key);
        assertTrue(ttl > 0 && ttl <= HISTORY_KEPT.toMillis(), key + " expires in " + ttl);
      }
      long memoryAfter = usedMemory(j);
      System.out.printf(
          "LeftoversIT: %d keys (%s), %d bytes used once everything is gone%n",
          j.dbSize(), j.keys("*"), memoryAfter);
      // the history (at most 200 recent expired calls) plus Redis's own bookkeeping: about 470 KB
      // measured; the calls' 3.6 MB are gone
      assertTrue(
          memoryAfter - memoryBefore < 1024 * 1024,
          "memory grew by " + (memoryAfter - memoryBefore) + " bytes");
    }
  }

  private static String describe(Jedis j, Set<String> keys) {
    StringBuilder sb = new StringBuilder();
    keys.stream()
        .filter(k -> !HISTORY.contains(k))
        .limit(20)
        .forEach(
            k ->
                sb.append(k)
                    .append(" (")
                    .append(j.type(k))
                    .append(", pttl ")
                    .append(j.pttl(k))
                    .append(") "));
    return keys.size() + " keys: " + sb;
  }

  private static URI ws(int port) {
    return URI.create("ws://127.0.0.1:" + port + "/ws");
  }

  private static long usedMemory(Jedis j) {
    for (String line : j.info("memory").split("\r?\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).trim());
      }
    }
    throw new AssertionError("no used_memory in INFO memory");
  }
}
