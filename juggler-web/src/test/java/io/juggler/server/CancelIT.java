package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.redis.RedisKeys;
import io.juggler.message.Uuids;
import io.juggler.testing.Deployments;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
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
 * Call cancel (issue 23, item 3) on a real container: an UNSB with {@code call} removes a queued
 * call before any callee takes it, interrupts a running one whose result then never comes, is
 * refused (NACK 404) for a call of another connection or one that is not pending, and works from a
 * resumed session for a call made before the drop.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CancelIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();

  static final Duration WAIT = Duration.ofSeconds(15);
  static final long TEN_SECONDS = 10_000_000_000L;

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(REDIS, Map.of("juggler.redis.blocking-timeout", "1s"));
  }

  URI ws() {
    return Deployments.ws(base);
  }

  static String cancel(WsClient c, String call) {
    String uuid = Uuids.random();
    c.send(WsClient.request(4, uuid, "\"call\":" + WsClient.quote(call)));
    return uuid;
  }

  @Test
  void aQueuedCallIsCancelledBeforeAnyCalleeTakesIt() {
    String uri = "nobody.serves." + Uuids.random();
    try (WsClient c = WsClient.connect(ws());
        Jedis redis = REDIS.jedis()) {
      String call = c.call(uri, TEN_SECONDS, "1");
      c.expectAck(call);
      assertTrue(redis.exists(RedisKeys.callTimeout(uri, call)));
      String id = cancel(c, call);
      JsonObject ack = c.expectAck(id);
      assertEquals(4, ack.getInt("for_type"));
      assertEquals(uri, ack.getString("uri"));
      assertEquals("queued", ack.getString("cancelled"));
      assertFalse(redis.exists(RedisKeys.callTimeout(uri, call)), "a callee could still run it");
      // cancelled once: a second cancel finds nothing pending
      assertEquals(404, c.expectNack(cancel(c, call)).getInt("code"));
    }
  }

  @Test
  void aRunningCallIsInterruptedAndItsResultNeverComes() {
    try (WsClient c = WsClient.connect(ws());
        Jedis redis = REDIS.jedis()) {
      String call = c.call("test.delay", TEN_SECONDS, "\"3000\"");
      c.expectAck(call);
      // a callee took it: its expiry key is gone
      await().atMost(WAIT).until(() -> !redis.exists(RedisKeys.callTimeout("test.delay", call)));
      String id = cancel(c, call);
      assertEquals("running", c.expectAck(id).getString("cancelled"));
      // the callee counts it cancelled (its function interrupted) well before its 3 s were up
      await()
          .atMost(Duration.ofMillis(2500))
          .until(
              () ->
                  Metrics.value(
                          Deployments.http(base),
                          "juggler_callee_calls_total",
                          "outcome=\"cancelled\"",
                          "uri=\"test.delay\"")
                      >= 1);
      // no RES for it: the next frame is the answer to a later call
      String after = c.call("test.echo", TEN_SECONDS, "\"after\"");
      c.expectAck(after);
      c.expectRes(after);
    }
  }

  @Test
  void onlyTheConnectionThatMadeACallMayCancelIt() {
    try (WsClient owner = WsClient.connect(ws());
        WsClient other = WsClient.connect(ws())) {
      String call = owner.call("test.delay", TEN_SECONDS, "\"500\"");
      owner.expectAck(call);
      JsonObject nack = other.expectNack(cancel(other, call));
      assertEquals(404, nack.getInt("code"));
      assertEquals("no pending call " + call, nack.getString("message"));
      assertEquals("500", owner.expectRes(call).get("args").toString());
      assertEquals(404, other.expectNack(cancel(other, Uuids.random())).getInt("code"));
    }
  }

  @Test
  void aResumedSessionCancelsACallMadeBeforeTheDrop() {
    String uri = "nobody.serves." + Uuids.random();
    String token;
    String call;
    try (WsClient c = WsClient.connect(ws(), Map.of("Juggler-Session", "new"), "juggler.0")) {
      token = c.next().getJsonObject("payload").getJsonObject("session").getString("token");
      call = c.call(uri, TEN_SECONDS, "1");
      c.expectAck(call);
    }
    try (WsClient stranger =
        WsClient.connect(ws(), Map.of("Juggler-Session", "new"), "juggler.0")) {
      stranger.next();
      assertEquals(404, stranger.expectNack(cancel(stranger, call)).getInt("code"));
    }
    try (WsClient c = WsClient.connect(ws(), Map.of("Juggler-Session", token), "juggler.0");
        Jedis redis = REDIS.jedis()) {
      assertTrue(c.next().getJsonObject("payload").getJsonObject("session").getBoolean("resumed"));
      assertEquals("queued", c.expectAck(cancel(c, call)).getString("cancelled"));
      assertFalse(redis.exists(RedisKeys.callTimeout(uri, call)));
    }
  }
}
