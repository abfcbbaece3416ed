package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.message.Uuids;
import io.juggler.testing.Deployments;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
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
 * Missed-event recovery (issue 23, item 2) on a real container: a subscriber that drops while 1,000
 * events are published, and comes back with its last offset, gets exactly those, in order, then
 * live ones, even while more are published during the replay; a history that started over or lost
 * events says so; channels without history and pattern SUBs behave as before.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HistoryRecoveryIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();

  static final int EVNT = 10;

  /** The deployment's replay limit: the 1,000 small events below fit, 40 of 8 KB do not. */
  static final int REPLAY_BYTES = 256 * 1024;

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        REDIS,
        Map.of(
            "juggler.history.channels",
            "hist.* 5000 10m; tiny.* 10 10m",
            "juggler.history.max-replay-bytes",
            Integer.toString(REPLAY_BYTES)));
  }

  URI ws() {
    return Deployments.ws(base);
  }

  static String subRecover(WsClient c, String channel, long offset, String epoch) {
    String uuid = Uuids.random();
    c.send(
        WsClient.request(
            3,
            uuid,
            "\"channel\":"
                + WsClient.quote(channel)
                + ",\"recover\":{\"offset\":"
                + offset
                + ",\"epoch\":"
                + WsClient.quote(epoch)
                + "}"));
    return uuid;
  }

  /** The next EVNT's payload, skipping other frames. */
  static JsonObject nextEvent(WsClient c) {
    while (true) {
      JsonObject f = c.next();
      if (f.getJsonObject("meta").getInt("type") == EVNT) {
        return f.getJsonObject("payload");
      }
    }
  }

  static void publish(WsClient p, String channel, int from, int to) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      ids.add(p.pub(channel, Integer.toString(i)));
    }
    for (String id : ids) {
      p.expectAck(id);
    }
  }

  @Test
  void aSubscriberThatComesBackGetsExactlyWhatItMissedInOrderThenLiveEvents() throws Exception {
    String channel = "hist." + Uuids.random();
    String epoch;
    long last;
    try (WsClient p = WsClient.connect(ws())) {
      try (WsClient s = WsClient.connect(ws())) {
        s.expectAck(s.sub(channel, false));
        publish(p, channel, 1, 3);
        JsonObject e = null;
        for (int i = 1; i <= 3; i++) {
          e = nextEvent(s);
          assertEquals(i, e.getJsonNumber("offset").longValue());
          assertEquals(Integer.toString(i), e.get("args").toString());
        }
        epoch = e.getString("epoch");
        last = e.getJsonNumber("offset").longValue();
      } // gone
      publish(p, channel, 4, 1003); // 1,000 missed
      try (WsClient s = WsClient.connect(ws())) {
        String sub = subRecover(s, channel, last, epoch);
        // more are published while the replay runs: each must come once, after the missed ones
        Thread more = new Thread(() -> publish(p, channel, 1004, 1103));
        more.start();
        JsonObject ack = s.expectAck(sub);
        assertTrue(ack.getBoolean("recovered"), ack::toString);
        assertEquals(epoch, ack.getString("epoch"));
        assertTrue(ack.getJsonNumber("offset").longValue() >= 1003, ack::toString);
        for (long i = last + 1; i <= 1103; i++) {
          JsonObject e = nextEvent(s);
          assertEquals(i, e.getJsonNumber("offset").longValue(), "offset out of order");
          assertEquals(Long.toString(i), e.get("args").toString());
          assertEquals(epoch, e.getString("epoch"));
        }
        more.join();
        // and live ones after that
        publish(p, channel, 1104, 1104);
        assertEquals(1104, nextEvent(s).getJsonNumber("offset").longValue());
        s.assertNoFrame();
      }
    }
  }

  @Test
  void anotherEpochOrLostEventsAreNotRecoverableAndSaySo() {
    String channel = "tiny." + Uuids.random();
    try (WsClient p = WsClient.connect(ws());
        WsClient s = WsClient.connect(ws())) {
      s.expectAck(s.sub(channel, false));
      publish(p, channel, 1, 1);
      String epoch = nextEvent(s).getString("epoch");
      s.expectAck(s.unsb(channel, false));

      JsonObject other = s.expectAck(subRecover(s, channel, 1, "another-epoch"));
      assertFalse(other.getBoolean("recovered"));
      assertEquals("epoch changed", other.getString("reason"));
      assertEquals(epoch, other.getString("epoch"), "the position to go on from");
      assertEquals(1, other.getJsonNumber("offset").longValue());
      s.expectAck(s.unsb(channel, false));

      publish(p, channel, 2, 301); // far more than the 10 this channel keeps
      JsonObject gone = s.expectAck(subRecover(s, channel, 1, epoch));
      assertFalse(gone.getBoolean("recovered"));
      assertEquals("history gone", gone.getString("reason"));
      assertEquals(301, gone.getJsonNumber("offset").longValue());
      // subscribed anyway: live events come
      publish(p, channel, 302, 302);
      assertEquals(302, nextEvent(s).getJsonNumber("offset").longValue());
    }
  }

  /**
   * A client that asks to recover more than {@code juggler.history.max-replay-bytes} of missed
   * events gets "too much missed" at once (nothing is read into the server's memory beyond the
   * limit), is subscribed all the same, and the server goes on recovering for others.
   */
  @Test
  void missingMoreThanTheReplayLimitIsNotRecoverableAndSaysSo() {
    String channel = "hist.large." + Uuids.random();
    String big = WsClient.quote("x".repeat(8_000));
    try (WsClient p = WsClient.connect(ws());
        WsClient s = WsClient.connect(ws())) {
      s.expectAck(s.sub(channel, false));
      p.expectAck(p.pub(channel, big));
      String epoch = nextEvent(s).getString("epoch");
      s.expectAck(s.unsb(channel, false));
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        ids.add(p.pub(channel, big));
      }
      ids.forEach(p::expectAck);

      JsonObject ack = s.expectAck(subRecover(s, channel, 1, epoch));
      assertFalse(ack.getBoolean("recovered"), ack::toString);
      assertEquals("too much missed", ack.getString("reason"));
      assertEquals(41, ack.getJsonNumber("offset").longValue());
      assertEquals(epoch, ack.getString("epoch"), "the position to go on from");
      s.assertNoFrame(); // nothing replayed
      p.expectAck(p.pub(channel, "42"));
      JsonObject live = nextEvent(s);
      assertEquals(42, live.getJsonNumber("offset").longValue());

      // what fits is still recovered
      s.expectAck(s.unsb(channel, false));
      JsonObject fits = s.expectAck(subRecover(s, channel, 38, epoch));
      assertTrue(fits.getBoolean("recovered"), fits::toString);
      for (long i = 39; i <= 42; i++) {
        assertEquals(i, nextEvent(s).getJsonNumber("offset").longValue());
      }
    }
  }

  @Test
  void channelsWithoutHistoryAndPatternsBehaveAsBefore() {
    String channel = "plain." + Uuids.random();
    try (WsClient p = WsClient.connect(ws());
        WsClient s = WsClient.connect(ws())) {
      JsonObject none = s.expectAck(subRecover(s, channel, 5, "e"));
      assertFalse(none.getBoolean("recovered"));
      assertEquals("no history", none.getString("reason"));
      publish(p, channel, 1, 1);
      JsonObject e = nextEvent(s);
      assertFalse(e.containsKey("offset"), e::toString);
      assertFalse(e.containsKey("epoch"), e::toString);

      String pattern = Uuids.random();
      s.send(
          WsClient.request(
              3,
              pattern,
              "\"channel\":\"hist.*\",\"pattern\":true,\"recover\":{\"offset\":1,\"epoch\":\"e\"}"));
      JsonObject nack = s.expectNack(pattern);
      assertEquals(400, nack.getInt("code"));
      assertTrue(nack.getString("message").startsWith("recover is for channels"), nack::toString);
    }
  }
}
