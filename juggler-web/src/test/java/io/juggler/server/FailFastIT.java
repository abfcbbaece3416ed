package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Fail fast (issue 12), in the container: with {@code juggler.calls.reject-unserved} a CALL to a
 * URI no live callee serves gets NACK 404 at once and nothing is queued; with {@code
 * juggler.calls.admission} a CALL whose timeout is shorter than its queue's expected wait gets NACK
 * 503, while one with time enough is queued and answered.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FailFastIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        REDIS,
        Map.of(
            "juggler.calls.reject-unserved", "true",
            "juggler.calls.admission", "true",
            "juggler.callee.workers", "1", // one worker: a queue builds up behind slow calls
            "juggler.registry.interval", "500ms",
            "juggler.redis.blocking-timeout", "1s"));
  }

  static final int NACK = 7;
  static final int ACK = 8;
  static final int RES = 9;

  /** The type of the ACK or NACK for {@code id}, skipping answers to earlier calls. */
  static int typeOfAnswer(WsClient c, String id) {
    return typeOfAnswer(c, id, new JsonObject[1]);
  }

  static int typeOfAnswer(WsClient c, String id, JsonObject[] payload) {
    while (true) {
      JsonObject f = c.next();
      int type = f.getJsonObject("meta").getInt("type");
      JsonObject p = f.getJsonObject("payload");
      if ((type == ACK || type == NACK) && id.equals(p.getString("for", ""))) {
        payload[0] = p;
        return type;
      }
    }
  }

  /** The payload of the next frame of {@code type} for {@code id}, skipping others. */
  static JsonObject frameFor(WsClient c, String id, int type) {
    while (true) {
      JsonObject f = c.next();
      JsonObject p = f.getJsonObject("payload");
      if (f.getJsonObject("meta").getInt("type") == type && id.equals(p.getString("for", ""))) {
        return p;
      }
    }
  }

  URI ws() {
    return Deployments.ws(base);
  }

  @Test
  void aCallNoCalleeServesIsNackedWith404AndNothingIsQueued() {
    String nobody = "nobody." + Uuids.random();
    try (WsClient c = WsClient.connect(ws())) {
      // once the registry knows what the demo callees serve (the first state published)
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                String id = c.call("test.echo", 5_000_000_000L, "1");
                if (typeOfAnswer(c, id) == ACK) {
                  c.expectRes(id);
                  return true;
                }
                return false;
              });
      String id = c.call(nobody, 5_000_000_000L, "1");
      JsonObject[] answer = new JsonObject[1];
      assertEquals(NACK, typeOfAnswer(c, id, answer));
      JsonObject nack = answer[0];
      assertEquals(404, nack.getInt("code"));
      assertTrue(nack.getString("message").contains("no callee serves " + nobody), nack.toString());
    }
    try (Jedis j = REDIS.jedis()) {
      assertEquals(0, j.llen(io.juggler.broker.redis.RedisKeys.calls(nobody)), "queued anyway");
    }
  }

  @Test
  void aCallThatCouldNotBeServedInTimeIsNackedWith503AndOneWithTimeIsAnswered() {
    try (WsClient slow = WsClient.connect(ws());
        WsClient c = WsClient.connect(ws())) {
      // a first call teaches the instances the function's service time
      String first = slow.call("test.delay", 10_000_000_000L, "\"300\"");
      slow.expectAck(first);
      slow.expectRes(first);
      // five 1 s calls queue behind the one worker: about 5 s of waiting
      for (int i = 0; i < 5; i++) {
        slow.expectAck(slow.call("test.delay", 30_000_000_000L, "\"1000\""));
      }
      // a 300 ms call cannot be served in time: refused at once, once the registry has the
      // service time (published every 500 ms)
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                String id = c.call("test.delay", 300_000_000L, "\"1\"");
                JsonObject[] nack = new JsonObject[1];
                if (typeOfAnswer(c, id, nack) == NACK) {
                  assertEquals(503, nack[0].getInt("code"), nack[0].toString());
                  assertTrue(
                      nack[0].getString("message").contains("expected queue wait"),
                      nack[0].toString());
                  return true;
                }
                return false; // ACKed before the figures were in: it expires in the queue
              });
      // a call with time enough is queued and answered after the backlog
      String patient = c.call("test.delay", 30_000_000_000L, "\"1\"");
      assertEquals(ACK, typeOfAnswer(c, patient));
      JsonObject res = frameFor(c, patient, RES);
      assertEquals(1, res.getInt("args"), res.toString());
    }
  }
}
