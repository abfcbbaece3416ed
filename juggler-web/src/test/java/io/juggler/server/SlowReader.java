package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.message.Uuids;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import redis.clients.jedis.Jedis;

/** A subscriber that never reads, flooded until the server closes it. */
final class SlowReader {

  private SlowReader() {}

  /**
   * Subscribes a client that never reads and a normal one to a channel, publishes 60 KB events
   * until the server closes the slow one with {@code expectedCode} (seen in the metrics), then
   * asserts the normal subscriber received every event.
   */
  static void assertClosedWithoutStallingOthers(
      URI ws, URI http, Jedis pubsubRedis, int expectedCode, Map<String, String> headers)
      throws Exception {
    String channel = "flood." + Uuids.random();
    String label = "code=\"" + expectedCode + "\"";
    double closedBefore = Metrics.value(http, "juggler_connections_closed_total", label);
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
    headers.forEach(builder::header);
    WebSocket slow =
        builder
            .subprotocols("juggler.0")
            .buildAsync(
                ws,
                new WebSocket.Listener() {
                  @Override
                  public void onOpen(WebSocket w) {
                    // never asks for a frame: the server's writes back up
                  }
                })
            .join();
    try (WsClient fast = WsClient.connect(ws, headers, "juggler.0");
        WsClient publisher = WsClient.connect(ws, headers, "juggler.0")) {
      slow.sendText(WsClient.request(3, Uuids.random(), "\"channel\":\"" + channel + "\""), true)
          .join();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> pubsubRedis.pubsubNumSub(channel).getOrDefault(channel, 0L) == 1);
      fast.expectAck(fast.sub(channel, false));
      String big = "\"" + "x".repeat(60_000) + "\"";
      int published = 0;
      while (Metrics.value(http, "juggler_connections_closed_total", label) <= closedBefore) {
        assertTrue(published < 3000, "slow reader still open after " + published + " events");
        for (int i = 0; i < 20; i++) {
          publisher.expectAck(publisher.pub(channel, big));
          published++;
        }
      }
      for (int i = 0; i < published; i++) {
        assertEquals(10, fast.next().getJsonObject("meta").getInt("type"));
      }
    } finally {
      slow.abort();
    }
  }
}
