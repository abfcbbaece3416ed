package io.juggler.bench;

import io.juggler.launcher.Machine;
import io.juggler.launcher.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * Scenario 3: what idle connections cost the server. Opens N websocket connections that send
 * nothing, then reads the server's heap after a full GC ({@code jcmd GC.run}, then {@code
 * /metrics}, on each runtime's JDK: see {@link #gc} and {@link #HEAP}), its RSS and thread count
 * ({@code /proc}), and the Redis connections it holds.
 */
final class IdleScale {

  private IdleScale() {}

  static Map<String, Object> measure(ServerProcess server, Jedis redis, int connections)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<WebSocket> open = new ArrayList<>(connections);
    try {
      for (int i = 0; i < connections; i += 200) {
        List<CompletableFuture<WebSocket>> batch = new ArrayList<>();
        for (int j = i; j < Math.min(connections, i + 200); j++) {
          batch.add(
              http.newWebSocketBuilder()
                  .subprotocols("juggler.0")
                  .buildAsync(URI.create(server.websocketUrl()), new WebSocket.Listener() {}));
        }
        for (CompletableFuture<WebSocket> f : batch) {
          open.add(f.get(60, TimeUnit.SECONDS));
        }
      }
      double active = ServerMetrics.value(ServerMetrics.scrape(server.baseUrl()), ACTIVE);
      gc(server.pid());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("connections", connections);
      r.put("serverSawConnections", Math.round(active));
      double heap = ServerMetrics.value(ServerMetrics.scrape(server.baseUrl()), HEAP);
      r.put("heapUsedMbAfterGc", heap < 0 ? -1 : Math.round(heap / 1e5) / 10.0);
      r.put("rssMb", Machine.procStatus(server.pid(), "VmRSS") / 1024);
      r.put("threads", Machine.procStatus(server.pid(), "Threads"));
      r.put("redisConnections", redis.clientList().lines().filter(l -> !l.isBlank()).count() - 1);
      return r;
    } finally {
      for (WebSocket ws : open) {
        ws.abort();
      }
    }
  }

  /**
   * Heap after GC per connection between two rows ({@code heapUsedMbAfterGc} at {@code
   * connections}), in KB (1,000 bytes) to one decimal; null when either reading is missing.
   */
  static Double heapKbPerConnection(Map<String, Object> from, Map<String, Object> to) {
    if (!(from.get("heapUsedMbAfterGc") instanceof Number h0)
        || !(to.get("heapUsedMbAfterGc") instanceof Number h1)
        || !(from.get("connections") instanceof Number n0)
        || !(to.get("connections") instanceof Number n1)
        || h0.doubleValue() < 0
        || h1.doubleValue() < 0
        || n1.intValue() <= n0.intValue()) {
      return null;
    }
    double kb = (h1.doubleValue() - h0.doubleValue()) * 1000 / (n1.intValue() - n0.intValue());
    return Math.round(kb * 10) / 10.0;
  }

  /** Open juggler connections (a gauge of ours, on every runtime). */
  static final String ACTIVE = "juggler_connections_active";

  /**
   * Heap in use: MicroProfile Metrics' base metric, {@code memory_usedHeap_bytes{mp_scope="base"}}
   * on Payara Micro and Payara Server, {@code memory_usedHeap_bytes{mp_scope="base",}} on Open
   * Liberty (mpMetrics-5.1): the JVM's {@code MemoryMXBean} heap usage on both.
   */
  static final String HEAP = "memory_usedHeap_bytes";

  /**
   * A full GC by {@code jcmd <pid> GC.run}, with the jcmd of the JDK the server runs on (any
   * HotSpot JVM answers it; Liberty's script allows attaching).
   */
  private static void gc(long pid) throws Exception {
    Process p =
        new ProcessBuilder(ServerJvm.toolOf(pid, "jcmd").toString(), Long.toString(pid), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }
}
