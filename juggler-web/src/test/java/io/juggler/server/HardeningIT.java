package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.testing.Deployments;
import io.juggler.testing.RedisProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hardening issue's attacks, each tried as a hostile client would, on whichever runtime the
 * build's profile runs (Payara Micro by default, Open Liberty with {@code -Pliberty-it}). One
 * class, so the server starts once; its limits are set low where a test needs to reach them.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HardeningIT {

  @RegisterExtension static final RedisProcess REDIS = RedisProcess.start();
  static final Duration PING_INTERVAL = Duration.ofSeconds(1);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        REDIS, Map.of("juggler.server.ping-interval", PING_INTERVAL.toMillis() + "ms"));
  }

  URI http() {
    return Deployments.http(base);
  }

  URI ws() {
    return Deployments.ws(base);
  }

  // ------------------------------------------------------------------ 1. pipelined upgrades

  /**
   * Item 1: the upgrade request and a frame in one TCP write, then close. On Payara Micro before
   * the fix each such connection parked an HTTP worker for good (Tyrus's upgrade handler waited for
   * itself), and ~200 of them took the whole server down.
   */
  @Test
  void pipelinedUpgradesParkNoWorkerAndTheServerKeepsAnswering() throws Exception {
    callEchoWithin(Duration.ofSeconds(10)); // warm: the measured call below is not the first
    double connectionsBefore = Metrics.value(http(), "juggler_connections_active", "");
    String sub = WsClient.request(3, "3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e", "\"channel\":\"a\"");

    ExecutorService attackers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        sent.add(
            attackers.submit(
                () -> {
                  RawSocket.pipelinedUpgradeThenClose(ws(), sub);
                  return null;
                }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      attackers.shutdownNow();
    }

    callEchoWithin(Duration.ofSeconds(1));
    assertEquals(200, get("/health/ready").statusCode(), "readiness after the attack");
    assertEquals(
        0.0,
        Metrics.value(http(), "juggler_server_upgrade_parked_threads", ""),
        "HTTP workers parked in the websocket upgrade");
    // the HTTP workers are free again: a burst of well-behaved clients is served at once
    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        clients.add(WsClient.connect(ws()));
      }
      for (WsClient c : clients) {
        String id = c.call("test.echo", 5_000_000_000L, "{}");
        c.expectAck(id);
        c.expectRes(id);
      }
    } finally {
      clients.forEach(WsClient::close);
    }
    // whatever the container did with the 1,000 closed sockets, none is kept beyond the keep-alive
    await()
        .atMost(PING_INTERVAL.multipliedBy(3).plusSeconds(10))
        .until(() -> Metrics.value(http(), "juggler_connections_active", "") <= connectionsBefore);
  }

  /** The keep-alive never closes a client that answers pings (the JDK's client does by itself). */
  @Test
  void idleClientThatAnswersPingsStaysConnected() {
    try (WsClient c = WsClient.connect(ws())) {
      await()
          .during(PING_INTERVAL.multipliedBy(4))
          .atMost(PING_INTERVAL.multipliedBy(6))
          .until(() -> !c.isClosed());
      String id = c.call("test.echo", 5_000_000_000L, "1");
      c.expectAck(id);
      c.expectRes(id);
    }
  }

  /** A peer that stops answering (here: reads the ping and ignores it) is closed with 1001. */
  @Test
  void peerThatNeverAnswersPingsIsClosedWith1001() throws Exception {
    double before = Metrics.value(http(), "juggler_connections_keepalive_timeouts_total", "");
    try (RawSocket s = new RawSocket(ws())) {
      RawSocket.Frame first = s.read();
      assertEquals(9, first.opcode(), "a ping after " + PING_INTERVAL + " of silence");
      RawSocket.Frame close = s.readUntilClose();
      assertEquals(1001, close.closeCode());
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Metrics.value(http(), "juggler_connections_keepalive_timeouts_total", "") > before);
  }

  /** A CALL to test.echo answered (ACK, then RES) within {@code limit}. */
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

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(http().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
