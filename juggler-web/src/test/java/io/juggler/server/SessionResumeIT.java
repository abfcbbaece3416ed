package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.redis.RedisKeys;
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
 * Session resume (issue 23, item 1) on a real container: a client that asks gets a session ACK
 * first; one that drops mid-call and comes back with its token gets its result, whether the result
 * came while it was away (parked in Redis) or after it was back; a wrong or expired token gets a
 * clear refusal and a fresh session, never someone else's results; a second connection resuming a
 * session closes the first.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SessionResumeIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();

  static final Duration WINDOW = Duration.ofSeconds(4);
  static final Duration WAIT = Duration.ofSeconds(15);
  static final int ACK = 8;

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        REDIS,
        Map.of("juggler.server.resume-window", "4s", "juggler.redis.blocking-timeout", "1s"));
  }

  URI ws() {
    return Deployments.ws(base);
  }

  private WsClient connect(String session) {
    return WsClient.connect(ws(), Map.of("Juggler-Session", session), "juggler.0");
  }

  /** The session ACK that must be the connection's first frame; returns its {@code session}. */
  private static JsonObject sessionAck(WsClient c) {
    JsonObject f = c.next();
    assertEquals(ACK, f.getJsonObject("meta").getInt("type"), () -> "first frame " + f);
    JsonObject p = f.getJsonObject("payload");
    assertEquals(0, p.getInt("for_type"), () -> "first frame " + f);
    JsonObject s = p.getJsonObject("session");
    assertTrue(s.getString("token").startsWith(p.getString("for") + "."), s.toString());
    assertEquals(WINDOW.toNanos(), s.getJsonNumber("window").longValue());
    return s;
  }

  @Test
  void aClientThatAsksGetsItsSessionFirstByHeaderOrQueryParameter() {
    try (WsClient c = connect("new")) {
      JsonObject s = sessionAck(c);
      assertFalse(s.getBoolean("resumed"));
      assertFalse(s.containsKey("refused"));
      String call = c.call("test.echo", 5_000_000_000L, "\"x\"");
      c.expectAck(call);
      assertEquals("\"x\"", c.expectRes(call).get("args").toString());
    }
    URI query = URI.create(ws() + "?session=new");
    try (WsClient c = WsClient.connect(query, Map.of(), "juggler.0")) {
      assertFalse(sessionAck(c).getBoolean("resumed"));
    }
  }

  @Test
  void aResultThatCameWhileTheClientWasAwayIsDeliveredWhenItResumes() {
    String token;
    String call;
    String id;
    try (WsClient c = connect("new")) {
      JsonObject s = sessionAck(c);
      token = s.getString("token");
      id = token.substring(0, token.indexOf('.'));
      call = c.call("test.delay", 5_000_000_000L, "\"300\"");
      c.expectAck(call);
    } // dropped without a close frame, before the result
    try (Jedis redis = REDIS.jedis()) {
      await()
          .atMost(WAIT)
          .until(() -> redis.llen(RedisKeys.sessionResults(id)) == 1); // parked for the session
    }
    try (WsClient c = connect(token)) {
      JsonObject s = sessionAck(c);
      assertTrue(s.getBoolean("resumed"));
      assertEquals(token, s.getString("token"));
      assertEquals("300", c.expectRes(call).get("args").toString());
      // the session goes on: a new call on the resumed connection
      String next = c.call("test.echo", 5_000_000_000L, "1");
      c.expectAck(next);
      c.expectRes(next);
    }
  }

  @Test
  void aResultThatComesAfterTheClientIsBackIsDeliveredToo() {
    String token;
    String call;
    try (WsClient c = connect("new")) {
      token = sessionAck(c).getString("token");
      call = c.call("test.delay", 10_000_000_000L, "\"2000\"");
      c.expectAck(call);
    }
    try (WsClient c = connect(token)) {
      assertTrue(sessionAck(c).getBoolean("resumed"));
      assertEquals("2000", c.expectRes(call).get("args").toString());
    }
  }

  @Test
  void aWrongSecretGetsAFreshSessionAndNoResults() {
    String token;
    String call;
    try (WsClient c = connect("new")) {
      token = sessionAck(c).getString("token");
      call = c.call("test.delay", 5_000_000_000L, "\"100\"");
      c.expectAck(call);
    }
    String forged = token.substring(0, token.indexOf('.') + 1) + "not-the-secret";
    try (WsClient c = connect(forged)) {
      JsonObject s = sessionAck(c);
      assertFalse(s.getBoolean("resumed"));
      assertEquals("invalid", s.getString("refused"));
      assertNotEquals(token, s.getString("token"));
      // the owner's result is not delivered here: an echo call's answer comes, nothing before it
      String probe = c.call("test.echo", 5_000_000_000L, "2");
      c.expectAck(probe);
      c.expectRes(probe);
    }
    try (WsClient c = connect("garbage")) {
      assertEquals("invalid", sessionAck(c).getString("refused"));
    }
    try (WsClient c = connect(token)) { // the owner still resumes it
      assertTrue(sessionAck(c).getBoolean("resumed"));
      c.expectRes(call);
    }
  }

  @Test
  void aSessionPastItsWindowIsRefusedAsExpired() {
    String token;
    try (WsClient c = connect("new")) {
      token = sessionAck(c).getString("token");
    }
    String id = token.substring(0, token.indexOf('.'));
    try (Jedis redis = REDIS.jedis()) {
      await().atMost(WAIT).until(() -> !redis.exists(RedisKeys.session(id)));
    }
    try (WsClient c = connect(token)) {
      JsonObject s = sessionAck(c);
      assertFalse(s.getBoolean("resumed"));
      assertEquals("expired", s.getString("refused"));
    }
  }

  @Test
  void resumingASessionStillOpenElsewhereClosesTheOldConnection() {
    try (WsClient first = connect("new")) {
      String token = sessionAck(first).getString("token");
      try (WsClient second = connect(token)) {
        assertTrue(sessionAck(second).getBoolean("resumed"));
        assertEquals(1008, first.awaitClose());
        assertEquals("session resumed on another connection", first.closeReason());
        String call = second.call("test.echo", 5_000_000_000L, "3");
        second.expectAck(call);
        second.expectRes(call);
      }
    }
  }
}
