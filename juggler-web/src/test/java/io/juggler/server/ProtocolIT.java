package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.juggler.message.Uuids;
import io.juggler.testing.Deployments;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * juggler.0 end to end: the packaged WAR on a managed Payara Micro, a real Redis, and the JDK's
 * websocket client speaking the protocol from the spec. One class, so Payara starts once.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProtocolIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();
  static final int CALL_CAPACITY = 3;
  static final int OUTBOUND_QUEUE = 64;

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        REDIS,
        Map.of(
            "juggler.calls.capacity",
            Integer.toString(CALL_CAPACITY),
            "juggler.server.read-limit",
            "65536",
            "juggler.server.close-uri",
            "test.close",
            "juggler.server.outbound-queue",
            Integer.toString(OUTBOUND_QUEUE)));
  }

  URI http() {
    return Deployments.http(base);
  }

  URI ws() {
    return Deployments.ws(base);
  }

  static JsonObject json(String s) {
    return Json.createReader(new StringReader(s)).readObject();
  }

  // ------------------------------------------------------------------ handshake

  @Test
  void negotiatesJuggler0AmongOfferedProtocols() {
    try (WsClient c = WsClient.connect(ws(), Map.of(), "juggler.1", "juggler.0")) {
      assertEquals("juggler.0", c.subprotocol());
    }
  }

  /** Refused before the upgrade (docs/protocol-choices.md): no websocket is ever opened. */
  @Test
  void missingSubprotocolIsRefusedWith400() {
    assertEquals(400, WsClient.refusedStatus(ws(), Map.of()));
    assertEquals(400, WsClient.refusedStatus(ws(), Map.of(), "juggler.1"));
  }

  @Test
  void foreignOriginIsRefusedWith403() {
    assertEquals(
        403, WsClient.refusedStatus(ws(), Map.of("Origin", "http://evil.example"), "juggler.0"));
    String otherPort = "http://" + ws().getHost() + ":" + (ws().getPort() + 1);
    assertEquals(403, WsClient.refusedStatus(ws(), Map.of("Origin", otherPort), "juggler.0"));
    String same = "http://" + ws().getHost() + ":" + ws().getPort();
    try (WsClient c = WsClient.connect(ws(), Map.of("Origin", same), "juggler.0")) {
      assertEquals("juggler.0", c.subprotocol());
    }
  }

  // ------------------------------------------------------------------ RPC

  @Test
  void callIsAckedThenAnsweredWithTheEchoedArgs() {
    try (WsClient c = WsClient.connect(ws())) {
      String args = "{\"invoice\":\"INV-88\",\"lines\":[1,2.5,\"x\",null,true],\"t\":\"<&>\"}";
      String id = c.call("test.echo", 5_000_000_000L, args);
      JsonObject ack = c.expectAck(id);
      assertEquals(1, ack.getInt("for_type"));
      assertEquals("test.echo", ack.getString("uri"));
      JsonObject res = c.expectRes(id);
      assertEquals("test.echo", res.getString("uri"));
      assertEquals(json(args), res.getJsonObject("args"));
    }
  }

  @Test
  void demoFunctionsBehaveAsTheReference() {
    try (WsClient c = WsClient.connect(ws())) {
      String reverse = c.call("test.reverse", 0, "\"ab😀c\"");
      c.expectAck(reverse);
      assertEquals("c😀ba", c.expectRes(reverse).getString("args"));

      String delayString = c.call("test.delay", 0, "\"20\"");
      c.expectAck(delayString);
      assertEquals(20, c.expectRes(delayString).getInt("args"));

      String delayNumber = c.call("test.delay", 0, "30");
      c.expectAck(delayNumber);
      assertEquals(30, c.expectRes(delayNumber).getInt("args"));

      String echoString = c.call("test.echo", 0, "\"hi\"");
      c.expectAck(echoString);
      assertEquals("hi", c.expectRes(echoString).getString("args"));
    }
  }

  @Test
  void failingFunctionGivesAnErrorResult() {
    try (WsClient c = WsClient.connect(ws())) {
      String id = c.call("test.delay", 0, "\"abc\"");
      c.expectAck(id);
      JsonObject error = c.expectRes(id).getJsonObject("args").getJsonObject("error");
      assertTrue(error.getString("message").contains("abc"), error.toString());
    }
  }

  @Test
  void uppercaseAndUrnUuidsAreNormalised() {
    try (WsClient c = WsClient.connect(ws())) {
      String id = Uuids.random();
      c.send(
          WsClient.request(1, "urn:uuid:" + id.toUpperCase(), "\"uri\":\"test.echo\",\"args\":1"));
      c.expectAck(id);
      assertEquals(1, c.expectRes(id).getInt("args"));
    }
  }

  @Test
  void callToAUriNobodyServesIsAckedQueuedAndExpiresWithoutResult() {
    try (WsClient c = WsClient.connect(ws());
        Jedis redis = REDIS.jedis()) {
      double before = Metrics.value(http(), "juggler_calls_expired_total", "stage=\"unanswered\"");
      String uri = "nobody." + Uuids.random();
      String id = c.call(uri, 300_000_000L, "{}");
      c.expectAck(id);
      assertEquals(1, redis.llen("juggler:calls:{" + uri + "}"));
      long pttl = redis.pttl("juggler:calls:timeout:{" + uri + "}:" + id);
      assertTrue(pttl > 0 && pttl <= 300, "pttl " + pttl);
      assertEquals("300", redis.get("juggler:calls:timeout:{" + uri + "}:" + id));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Metrics.value(http(), "juggler_calls_expired_total", "stage=\"unanswered\"")
                      > before);
      c.assertNoFrame();
    }
  }

  @Test
  void resultThatComesTooLateIsDroppedByTheCallee() {
    try (WsClient c = WsClient.connect(ws())) {
      String[] label = {"uri=\"test.delay\"", "outcome=\"expired\""};
      double before = Metrics.value(http(), "juggler_callee_calls_total", label);
      String id = c.call("test.delay", 100_000_000L, "\"400\"");
      c.expectAck(id);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Metrics.value(http(), "juggler_callee_calls_total", label) > before);
      c.assertNoFrame();
    }
  }

  @Test
  void callWrittenIntoRedisByAnotherProgramIsServedIntoTheReferenceResultsList() {
    try (Jedis redis = REDIS.jedis()) {
      String conn = Uuids.random();
      String msg = Uuids.random();
      redis.set(
          "juggler:calls:timeout:{test.reverse}:" + msg,
          "5000",
          new redis.clients.jedis.params.SetParams().px(5000));
      redis.lpush(
          "juggler:calls:{test.reverse}",
          "{\"conn_uuid\":\""
              + conn
              + "\",\"msg_uuid\":\""
              + msg
              + "\",\"uri\":\"test.reverse\",\"args\":\"abc\"}");
      List<String> popped = redis.brpop(10, "juggler:results:{" + conn + "}");
      assertNotNull(popped, "no result in juggler:results:{" + conn + "}");
      JsonObject result = json(popped.get(1));
      assertEquals(conn, result.getString("conn_uuid"));
      assertEquals(msg, result.getString("msg_uuid"));
      assertEquals("test.reverse", result.getString("uri"));
      assertEquals("cba", result.getString("args"));
      long ttl = redis.pttl("juggler:results:timeout:{" + conn + "}:" + msg);
      assertTrue(ttl > 0 && ttl <= 5000, "result ttl " + ttl);
    }
  }

  // ------------------------------------------------------------------ NACK paths

  @Test
  void callOverCapacityIsNackedAndQueuedCallsStay() {
    try (WsClient c = WsClient.connect(ws());
        Jedis redis = REDIS.jedis()) {
      String uri = "full." + Uuids.random();
      for (int i = 0; i < CALL_CAPACITY; i++) {
        c.expectAck(c.call(uri, 5_000_000_000L, Integer.toString(i)));
      }
      String over = c.call(uri, 5_000_000_000L, "99");
      JsonObject nack = c.expectNack(over);
      assertEquals(500, nack.getInt("code"));
      assertEquals("list capacity exceeded", nack.getString("message"));
      assertEquals(1, nack.getInt("for_type"));
      assertEquals(uri, nack.getString("uri"));
      assertEquals(CALL_CAPACITY, redis.llen("juggler:calls:{" + uri + "}"));
      assertFalse(redis.exists("juggler:calls:timeout:{" + uri + "}:" + over));
    }
  }

  @Test
  void negativeTimeoutEmptyUriAndDuplicateUuidAreNacked() {
    try (WsClient c = WsClient.connect(ws())) {
      String negative = c.call("test.echo", -5_000_000L, "1");
      assertEquals(400, c.expectNack(negative).getInt("code"));
      String empty = c.call("", 0, "1");
      assertEquals(400, c.expectNack(empty).getInt("code"));

      String uri = "nobody." + Uuids.random();
      String id = Uuids.random();
      String call = WsClient.request(1, id, "\"uri\":\"" + uri + "\",\"timeout\":5000000000");
      c.send(call);
      c.expectAck(id);
      c.send(call);
      assertEquals(409, c.expectNack(id).getInt("code"));
    }
  }

  // ------------------------------------------------------------------ pub-sub

  @Test
  void publishedEventsReachChannelAndPatternSubscribers() {
    String channel = "room." + Uuids.random();
    try (WsClient sub = WsClient.connect(ws());
        WsClient pub = WsClient.connect(ws())) {
      String s1 = sub.sub(channel, false);
      assertEquals(3, sub.expectAck(s1).getInt("for_type"));
      String s2 = sub.sub("room.*", true);
      assertEquals("room.*", sub.expectAck(s2).getString("channel"));

      String p = pub.pub(channel, "{\"text\":\"hi all\"}");
      JsonObject ack = pub.expectAck(p);
      assertEquals(2, ack.getInt("for_type"));
      assertEquals(channel, ack.getString("channel"));

      JsonObject e1 = sub.expect(10, p);
      JsonObject e2 = sub.expect(10, p);
      JsonObject plain = e1.containsKey("pattern") ? e2 : e1;
      JsonObject viaPattern = e1.containsKey("pattern") ? e1 : e2;
      assertEquals(channel, plain.getString("channel"));
      assertFalse(plain.containsKey("pattern"));
      assertEquals(json("{\"text\":\"hi all\"}"), plain.getJsonObject("args"));
      assertEquals("room.*", viaPattern.getString("pattern"));
      assertEquals(channel, viaPattern.getString("channel"));
    }
  }

  @Test
  void eachSubscriberGetsTheEventsOfAChannelInPublishOrder() {
    // subscribers spread over the event lanes; each must see them in Redis order
    String channel = "order." + Uuids.random();
    // fewer than the outbound queue holds: however slowly the runtime writes, none overflows
    int events = OUTBOUND_QUEUE - 4;
    List<WsClient> subs = new java.util.ArrayList<>();
    try (WsClient pub = WsClient.connect(ws())) {
      for (int i = 0; i < 6; i++) {
        WsClient sub = WsClient.connect(ws());
        subs.add(sub);
        sub.expectAck(sub.sub(channel, false));
      }
      List<String> published = new java.util.ArrayList<>();
      for (int i = 0; i < events; i++) {
        published.add(pub.pub(channel, Integer.toString(i)));
      }
      for (WsClient sub : subs) {
        for (int i = 0; i < events; i++) {
          JsonObject e = sub.expect(10, published.get(i));
          assertEquals(i, e.getInt("args"));
        }
      }
      for (String p : published) {
        pub.expectAck(p);
      }
    } finally {
      subs.forEach(WsClient::close);
    }
  }

  /**
   * A PUB with {@code "echo": false} reaches every subscriber but its publisher. Its next PUB, an
   * ordinary one, reaches the publisher: had the first been delivered to it, it would have come
   * before (one connection's events keep Redis's order).
   */
  @Test
  void aPubWithoutEchoSkipsOnlyItsPublisher() {
    String channel = "no-echo." + Uuids.random();
    try (WsClient publisher = WsClient.connect(ws());
        WsClient other = WsClient.connect(ws())) {
      publisher.expectAck(publisher.sub(channel, false));
      other.expectAck(other.sub(channel, false));
      String quiet = publisher.pub(channel, "1", false);
      String loud = publisher.pub(channel, "2");

      assertEquals(1, other.expect(10, quiet).getInt("args"));
      assertEquals(2, other.expect(10, loud).getInt("args"));

      // the publisher: both ACKs and the second event, in some order; never the first event
      List<String> seen = new java.util.ArrayList<>();
      boolean loudEvent = false;
      boolean quietAck = false;
      boolean loudAck = false;
      while (!(loudEvent && quietAck && loudAck)) {
        JsonObject f = publisher.next();
        int type = f.getJsonObject("meta").getInt("type");
        String forUuid = f.getJsonObject("payload").getString("for");
        seen.add(type + ":" + forUuid);
        assertFalse(type == 10 && forUuid.equals(quiet), "its own quiet event came: " + seen);
        loudEvent |= type == 10 && forUuid.equals(loud);
        quietAck |= type == 8 && forUuid.equals(quiet);
        loudAck |= type == 8 && forUuid.equals(loud);
      }
      assertEquals(3, seen.size(), seen.toString());
    }
  }

  @Test
  void unsubscribedChannelGetsNoMoreEvents() {
    String gone = "gone." + Uuids.random();
    String marker = "marker." + Uuids.random();
    try (WsClient sub = WsClient.connect(ws());
        WsClient pub = WsClient.connect(ws())) {
      sub.expectAck(sub.sub(gone, false));
      sub.expectAck(sub.sub(marker, false));
      String u = sub.unsb(gone, false);
      assertEquals(4, sub.expectAck(u).getInt("for_type"));
      pub.expectAck(pub.pub(gone, "1"));
      String m = pub.pub(marker, "2");
      pub.expectAck(m);
      // both publications travel on the same Redis connection, in order: had the first one been
      // delivered, it would come before the marker
      sub.expect(10, m);
      String never = sub.unsb("never-subscribed", false);
      sub.expectAck(never);
    }
  }

  @Test
  void eventWithoutArgsHasNullArgs() {
    String channel = "bare." + Uuids.random();
    try (WsClient c = WsClient.connect(ws())) {
      c.expectAck(c.sub(channel, false));
      String p = c.pub(channel, null);
      JsonObject first = c.next();
      JsonObject second = c.next();
      JsonObject evnt = first.getJsonObject("meta").getInt("type") == 10 ? first : second;
      assertEquals(p, evnt.getJsonObject("payload").getString("for"));
      assertTrue(evnt.getJsonObject("payload").isNull("args"));
    }
  }

  // ------------------------------------------------------------------ protocol violations

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[]",
        "\"text\"",
        "{\"meta\":{\"type\":1,\"uuid\":\"6a4c0a52-3d2b-4bb4-9c1a-6f7f5b0d8e11\"}}",
        "{\"meta\":{\"type\":99,\"uuid\":\"6a4c0a52-3d2b-4bb4-9c1a-6f7f5b0d8e11\"},\"payload\":{}}",
        "{\"meta\":{\"type\":8,\"uuid\":\"6a4c0a52-3d2b-4bb4-9c1a-6f7f5b0d8e11\"},\"payload\":{}}",
        "{\"meta\":{\"type\":1.5,\"uuid\":\"6a4c0a52-3d2b-4bb4-9c1a-6f7f5b0d8e11\"},\"payload\":{}}",
        "{\"meta\":{\"type\":1,\"uuid\":\"not-a-uuid\"},\"payload\":{}}",
        "{\"meta\":{\"type\":1,\"uuid\":\"6a4c0a52-3d2b-4bb4-9c1a-6f7f5b0d8e11\"},\"payload\":{\"uri\":7}}",
        "{\"meta\":{\"type\":3,\"uuid\":\"6a4c0a52-3d2b-4bb4-9c1a-6f7f5b0d8e11\"},\"payload\":{\"channel\":\"x\",\"pattern\":\"yes\"}}"
      })
  void malformedFrameClosesWith1002AndOthersKeepWorking(String frame) {
    try (WsClient bad = WsClient.connect(ws());
        WsClient good = WsClient.connect(ws())) {
      bad.send(frame);
      assertEquals(1002, bad.awaitClose());
      bad.assertNoFrame();
      String id = good.call("test.echo", 0, "\"still here\"");
      good.expectAck(id);
      assertEquals("still here", good.expectRes(id).getString("args"));
    }
  }

  @Test
  void unmaskedClientFrameIsAWebsocketProtocolErrorClosedWith1002() throws Exception {
    // Open Liberty's websocket layer never rejects an unmasked client frame (RFC 6455 5.1): the
    // frame is not delivered and the connection stays open. The application cannot see it.
    assumeFalse(Deployments.onLiberty(), "Open Liberty does not check the client mask bit");
    try (RawSocket raw = new RawSocket(ws())) {
      raw.send(0x81, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
      assertEquals(1002, raw.readUntilClose().closeCode());
    }
  }

  @Test
  void reservedBitsAreAWebsocketProtocolErrorClosedWith1002() throws Exception {
    try (RawSocket raw = new RawSocket(ws())) {
      raw.send(0x80 | 0x40 | 0x1, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
      assertEquals(1002, raw.readUntilClose().closeCode());
    }
  }

  @Test
  void invalidUtf8TextClosesWith1007() throws Exception {
    try (RawSocket raw = new RawSocket(ws())) {
      raw.send(0x81, new byte[] {'"', (byte) 0xc3, (byte) 0x28, '"'}, true);
      assertEquals(1007, raw.readUntilClose().closeCode());
    }
  }

  @Test
  void clientCloseFrameIsEchoedWithItsCode() throws Exception {
    try (RawSocket raw = new RawSocket(ws())) {
      raw.send(0x88, new byte[] {0x03, (byte) 0xe8}, true); // close 1000
      assertEquals(1000, raw.readUntilClose().closeCode());
    }
  }

  @Test
  void binaryFrameClosesWith1003() {
    try (WsClient c = WsClient.connect(ws())) {
      c.sendBinary(new byte[] {1, 2, 3});
      assertEquals(1003, c.awaitClose());
    }
  }

  @Test
  void frameOverTheReadLimitClosesWith1009() {
    try (WsClient c = WsClient.connect(ws())) {
      String big = "\"" + "x".repeat(70_000) + "\"";
      c.send(WsClient.request(2, Uuids.random(), "\"channel\":\"big\",\"args\":" + big));
      assertEquals(1009, c.awaitClose());
      c.assertNoFrame();
    }
  }

  @Test
  void typeRefusedByAllowedMessagesHeaderClosesWith1008() {
    try (WsClient c =
        WsClient.connect(ws(), Map.of("Juggler-Allowed-Messages", "pub"), "juggler.0")) {
      String channel = "allowed." + Uuids.random();
      c.expectAck(c.pub(channel, "1"));
      c.call("test.echo", 0, "1");
      assertEquals(1008, c.awaitClose());
    }
  }

  /** The excluded type decides before the CALL's own members: a bad CALL closes too (spec 2.6). */
  @Test
  void aBadCallOnAConnectionThatExcludesCallsClosesWith1008() {
    try (WsClient c =
        WsClient.connect(ws(), Map.of("Juggler-Allowed-Messages", "sub"), "juggler.0")) {
      c.call("", -1, "1"); // no uri and a negative timeout: NACK 400 were CALL allowed
      assertEquals(1008, c.awaitClose());
    }
  }

  // ------------------------------------------------------------------ closed connections

  @Test
  void resultForAClosedConnectionIsDroppedAndCounted() {
    URI h = http();
    double abandoned = Metrics.value(h, "juggler_calls_expired_total", "stage=\"abandoned\"");
    double dropped = Metrics.value(h, "juggler_results_dropped_total", "");
    WsClient c = WsClient.connect(ws());
    String id = c.call("test.delay", 0, "\"300\"");
    c.expectAck(id);
    c.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Metrics.value(h, "juggler_calls_expired_total", "stage=\"abandoned\"") > abandoned
                    && Metrics.value(h, "juggler_results_dropped_total", "") > dropped);
  }

  @Test
  void slowReaderIsClosedAndOthersGetEveryEvent() throws Exception {
    try (Jedis redis = REDIS.jedis()) {
      SlowReader.assertClosedWithoutStallingOthers(ws(), http(), redis, 1008, Map.of());
    }
  }

  // ------------------------------------------------------------------ bounded resources

  @Test
  void idleConnectionsHoldNoRedisConnectionsAndNoThreads() throws Exception {
    try (Jedis redis = REDIS.jedis()) {
      // one round trip first, so that lazily created pool connections exist before we count
      try (WsClient warm = WsClient.connect(ws())) {
        String id = warm.call("test.echo", 0, "1");
        warm.expectAck(id);
        warm.expectRes(id);
      }
      long clientsBefore = connectedClients(redis);
      double threadsBefore = Metrics.value(http(), "thread_count", "");
      List<WsClient> idle = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 300; i++) {
          idle.add(WsClient.connect(ws()));
        }
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> Metrics.value(http(), "juggler_connections_active", "") >= 300);
        // not equal: the pools open and close connections for their own work meanwhile (the
        // registry, the monitors, a pool's lazily made connection); 300 idle clients holding
        // anything each would add hundreds
        long clientsAfter = connectedClients(redis);
        assertTrue(
            clientsAfter < clientsBefore + 10,
            "Redis connections grew from " + clientsBefore + " to " + clientsAfter);
        double threadsAfter = Metrics.value(http(), "thread_count", "");
        assertTrue(
            threadsAfter - threadsBefore < 20,
            "threads grew from " + threadsBefore + " to " + threadsAfter);
      } finally {
        idle.forEach(WsClient::close);
      }
    }
  }

  private static long connectedClients(Jedis redis) {
    return redis.clientList().lines().filter(l -> !l.isBlank()).count();
  }

  @Test
  void closeUriHookClosesWith1000Bye() {
    try (WsClient c = WsClient.connect(ws())) {
      c.call("test.close", 0, null);
      assertEquals(1000, c.awaitClose());
      assertEquals("bye", c.closeReason());
      c.assertNoFrame();
    }
  }

  // ------------------------------------------------------------------ /health

  @Test
  void healthDataAreStringsOnEveryRuntime() throws Exception {
    String body =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(http().resolve("/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    JsonObject health = json(body);
    Map<String, jakarta.json.JsonValue> data = new java.util.HashMap<>();
    health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
        .filter(check -> check.containsKey("data"))
        .forEach(check -> data.putAll(check.getJsonObject("data")));
    // Payara writes every value as a string; the application gives strings so Liberty agrees
    data.forEach(
        (k, v) -> assertEquals(jakarta.json.JsonValue.ValueType.STRING, v.getValueType(), body));
    assertEquals(Json.createValue("0"), data.get("upgrade-parked-threads"), body);
    // the callee's check reads the runtime it was handed at the end of the runtime's start
    JsonObject callee =
        health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
            .filter(check -> check.getString("name").equals("juggler-callee"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no juggler-callee check: " + body));
    assertEquals("UP", callee.getString("status"), body);
    assertTrue(
        callee.getJsonObject("data").getString("workers").matches("\\d+"),
        "workers not counted yet: " + body);
  }

  // ------------------------------------------------------------------ /debug/vars

  @Test
  void debugVarsCountConnectionsAndShowTheIdleTimerWorkaround() throws Exception {
    try (WsClient c = WsClient.connect(ws())) {
      String body =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(http().resolve("debug/vars")).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      JsonObject vars = json(body);
      assertTrue(vars.getJsonObject("juggler").getJsonNumber("ActiveConns").longValue() >= 1);
      long adopted = vars.getJsonNumber("idleTimersAdopted").longValue();
      if ("liberty".equals(System.getProperty("arquillian.launch"))) {
        assertEquals(0, adopted, "Liberty's websocket sessions are not Tyrus sessions");
      } else {
        // Tyrus on Payara: every session gets the cheap idle-timeout scheduler (IdleTimers)
        assertTrue(adopted >= 1, "idleTimersAdopted = " + adopted);
      }
    }
  }
}
