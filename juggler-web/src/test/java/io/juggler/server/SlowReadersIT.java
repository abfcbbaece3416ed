package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.message.Uuids;
import io.juggler.testing.Deployments;
import io.juggler.testing.redis.RedisProcess;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Hardening item 4, memory per slow reader, on its own deployment: no keep-alive (which would close
 * readers that stop reading before their queue fills) and a 2 MB bound per connection.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SlowReadersIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        REDIS,
        Map.of(
            "juggler.server.ping-interval", "0",
            "juggler.server.read-limit", Integer.toString(2 << 20),
            "juggler.server.outbound-bytes", Integer.toString(2 << 20)));
  }

  URI http() {
    return Deployments.http(base);
  }

  URI ws() {
    return Deployments.ws(base);
  }

  /**
   * Item 4: 50 readers that stop reading while 1 MB events keep coming are closed once they hold
   * more than outbound-bytes; the live heap stays bounded meanwhile and everyone else keeps being
   * served. Without the byte bound each held all 20 events: 1 GB in all.
   */
  @Test
  void pausedReadersOfBigEventsAreClosedAndTheHeapStaysBounded() throws Exception {
    String channel = "big." + Uuids.random();
    ServerJvm server = ServerJvm.of(http());
    long liveBefore = server.liveHeapBytes();
    double closesBefore =
        Metrics.value(http(), "juggler_limits_exceeded_total", "limit=\"outbound-bytes\"");
    List<RawSocket> paused = new ArrayList<>();
    long liveMax = liveBefore;
    try (WsClient pub = WsClient.connect(ws())) {
      for (int i = 0; i < 50; i++) {
        RawSocket s = new RawSocket(ws(), 16 * 1024);
        s.send(
            0x81,
            WsClient.request(3, Uuids.random(), "\"channel\":\"" + channel + "\"")
                .getBytes(StandardCharsets.UTF_8),
            true);
        assertEquals(8, s.readJson().getJsonObject("meta").getInt("type")); // ACK; no more reads
        paused.add(s);
      }
      String megabyte = WsClient.quote("y".repeat(1 << 20));
      for (int i = 1; i <= 20; i++) {
        pub.expectAck(pub.pub(channel, megabyte));
        callEchoWithin(Duration.ofSeconds(2));
        if (i % 5 == 0) {
          liveMax = Math.max(liveMax, server.liveHeapBytes());
        }
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Metrics.value(http(), "juggler_limits_exceeded_total", "limit=\"outbound-bytes\"")
                      >= closesBefore + 50);
    } finally {
      for (RawSocket s : paused) {
        s.close();
      }
    }
    // measured per paused reader: the 2 MB bound, the 1 MB message being written and its copies
    // in the websocket stack (its UTF-8 bytes, the frame, the container's buffer): about 8 MB. The
    // bound allows 10 MB; without the byte bound each reader held all 20 MB of events and more.
    long bound = liveBefore + 50L * (10 << 20);
    assertTrue(liveMax < bound, "live heap from " + liveBefore + " to " + liveMax);
  }

  private void callEchoWithin(Duration limit) {
    try (WsClient c = WsClient.connect(ws())) {
      long start = System.nanoTime();
      String id = c.call("test.echo", 5_000_000_000L, "{\"n\":1}");
      c.expectAck(id);
      c.expectRes(id);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(limit) <= 0, "CALL answered in " + took + ", limit " + limit);
    }
  }
}
