package io.juggler.bench;

import io.juggler.launcher.Machine;
import io.juggler.launcher.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/**
 * Scenario 3: what idle connections cost the server. Opens N websocket connections that send
 * nothing, then reads the server's heap after a full GC ({@code jcmd GC.run}, then {@code
 * /metrics}), its RSS and thread count ({@code /proc}), and the Redis connections it holds.
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
      double active = metric(http, server, "juggler_connections_active");
      gc(server.pid());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("connections", connections);
      r.put("serverSawConnections", Math.round(active));
      r.put("heapUsedMbAfterGc", Math.round(metric(http, server, "memory_usedHeap_bytes") / 1e6));
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

  private static void gc(long pid) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    new ProcessBuilder(jcmd, Long.toString(pid), "GC.run")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(60, TimeUnit.SECONDS);
  }

  static double metric(HttpClient http, ServerProcess server, String name) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+(\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(2)) : -1;
  }
}
