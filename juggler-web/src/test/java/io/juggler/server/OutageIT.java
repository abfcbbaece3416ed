package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.ReceivedCall;
import io.juggler.broker.redis.RedisBroker;
import io.juggler.broker.redis.RedisSettings;
import io.juggler.message.CallPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import io.juggler.testing.Deployments;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * A server-only instance (callee role off) with an independent callee running in the test JVM, and
 * a Redis that goes away and comes back: requests get NACK while it is down, the websocket stays
 * open, readiness goes DOWN and UP, and calls and subscriptions work again by themselves.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OutageIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();
  static final String REDIS_PORT = Integer.toString(REDIS.port());
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final java.util.concurrent.atomic.AtomicReference<Throwable> LAST =
      new java.util.concurrent.atomic.AtomicReference<>();

  static final String CONSOLE_PASSWORD = "outage-console-password";

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        REDIS,
        Map.of(
            "juggler.callee.enabled", "false",
            "juggler.redis.timeout", "500ms",
            "juggler.redis.blocking-timeout", "1s",
            "juggler.registry.interval", "500ms",
            "juggler.admin.password", CONSOLE_PASSWORD));
  }

  int liveness() throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(Deployments.http(base).resolve("/health/live")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  int readiness() throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(Deployments.http(base).resolve("/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** A callee outside the server, depending on Redis only: upper-cases strings. */
  static Thread externalCallee(String uri, AtomicBoolean stop) {
    Thread t =
        new Thread(
            () -> {
              try (RedisBroker broker =
                  new RedisBroker(
                      RedisSettings.standalone(URI.create(REDIS.url())),
                      io.juggler.broker.BrokerMetrics.NONE)) {
                while (!stop.get()) {
                  try {
                    Optional<ReceivedCall> call =
                        broker.takeCall(List.of(uri), Duration.ofSeconds(1));
                    if (call.isPresent()) {
                      CallPayload p = call.get().payload();
                      String arg = p.args().json();
                      broker.storeResult(
                          new CallPayload(
                              p.connUuid(), p.msgUuid(), p.uri(), RawJson.of(arg.toUpperCase())),
                          call.get().remainingMillis(System.nanoTime()));
                    }
                  } catch (RuntimeException e) {
                    LAST.set(e);
                    if (stop.get()) {
                      return;
                    }
                    try {
                      Thread.sleep(100); // back off while Redis is down
                    } catch (InterruptedException ie) {
                      return;
                    }
                  }
                }
              }
            },
            "external-callee");
    t.start();
    return t;
  }

  @Test
  void survivesRedisOutageAndRecoversByItself() throws Exception {
    String uri = "ext.upper." + Uuids.random();
    String channel = "news." + Uuids.random();
    AtomicBoolean stop = new AtomicBoolean();
    Thread callee = externalCallee(uri, stop);
    try (WsClient c = WsClient.connect(Deployments.ws(base))) {
      // the demo callees are configured on, but the callee role is off: nothing serves test.echo
      String echo = c.call("test.echo", 300_000_000L, "1");
      c.expectAck(echo);
      String id = c.call(uri, 5_000_000_000L, "\"abc\"");
      c.expectAck(id);
      assertEquals("ABC", c.expectRes(id).getString("args"));
      c.expectAck(c.sub(channel, false));
      assertEquals(200, readiness());

      ConsoleClient console = new ConsoleClient(base);
      console.get("index.xhtml");
      assertEquals(302, console.login("admin", CONSOLE_PASSWORD).statusCode());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  console
                      .get("index.xhtml")
                      .body()
                      .contains("<span id=\"redis-status\" class=\"ok\">reachable"));

      REDIS.stop();
      await().atMost(Duration.ofSeconds(20)).until(() -> readiness() == 503);
      // not ready, but alive: the pumps and the registry publisher wait for Redis
      assertEquals(200, liveness());
      // the console still answers, says why, and keeps the last data it had
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  console.get("index.xhtml").body().contains("id=\"redis-status\" class=\"bad\""));
      assertTrue(console.get("index.xhtml").body().contains("id=\"instances-alive\">1<"));

      // 503 "redis unavailable": whatever failed, the client learns nothing of Redis's address
      String down = c.call(uri, 5_000_000_000L, "\"x\"");
      JsonObject nack = c.expectNack(down);
      assertEquals(503, nack.getInt("code"));
      assertEquals("redis unavailable", nack.getString("message"), nack.toString());
      String pub = c.pub(channel, "1");
      JsonObject pubNack = c.expectNack(pub);
      assertEquals(503, pubNack.getInt("code"));
      assertFalse(pubNack.getString("message").contains(REDIS_PORT), pubNack.toString());
      String sub = c.sub("other." + Uuids.random(), false);
      JsonObject subNack = c.expectNack(sub);
      assertEquals(503, subNack.getInt("code"));
      assertFalse(subNack.getString("message").contains(REDIS_PORT), subNack.toString());

      REDIS.restart();
      await().atMost(Duration.ofSeconds(30)).until(() -> readiness() == 200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> console.get("index.xhtml").body().contains("class=\"ok\">reachable"));

      String again = c.call(uri, 5_000_000_000L, "\"def\"");
      c.expectAck(again);
      try {
        assertEquals("DEF", c.expectRes(again).getString("args"));
      } catch (AssertionError e) {
        try (Jedis redis = REDIS.jedis()) {
          throw new AssertionError(
              "keys "
                  + redis.keys("juggler:*")
                  + " last "
                  + LAST.get()
                  + " callee alive "
                  + callee.isAlive()
                  + " delivered "
                  + Metrics.value(Deployments.http(base), "juggler_results_delivered_total", "")
                  + " dropped "
                  + Metrics.value(Deployments.http(base), "juggler_results_dropped_total", "")
                  + " expired "
                  + Metrics.value(
                      Deployments.http(base), "juggler_calls_expired_total", "stage=\"result\"")
                  + " invalid "
                  + Metrics.value(
                      Deployments.http(base), "juggler_payloads_invalid_total", "kind=\"result\""),
              e);
        }
      }

      // the subscription made before the outage was restored by the server itself
      try (Jedis redis = REDIS.jedis()) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> redis.pubsubNumSub(channel).getOrDefault(channel, 0L) > 0);
        String msg = Uuids.random();
        redis.publish(channel, "{\"msg_uuid\":\"" + msg + "\",\"args\":\"back\"}");
        JsonObject evnt = c.expect(10, msg);
        assertEquals("back", evnt.getString("args"));
      }
    } finally {
      stop.set(true);
      callee.join(5_000);
    }
  }
}
