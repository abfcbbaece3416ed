package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.redis.RedisKeys;
import io.juggler.message.Uuids;
import io.juggler.testing.Deployments;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The hardening issue's attacks, each tried as a hostile client would, on whichever runtime the
 * build's profile runs (Payara Micro by default, Open Liberty with {@code -Pliberty-it}). One
 * class, so the server starts once; its limits are set low where a test needs to reach them.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HardeningIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();
  static final Duration PING_INTERVAL = Duration.ofSeconds(1);
  static final int MAX_ARGS = 4096;
  static final int MAX_PENDING = 5;
  static final int MAX_SUBSCRIPTIONS = 5;
  static final int RATE = 100;
  static final int BURST = 50;
  static final int READ_LIMIT = 2 << 20;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(
        REDIS,
        Map.ofEntries(
            Map.entry("juggler.server.ping-interval", PING_INTERVAL.toMillis() + "ms"),
            Map.entry("juggler.calls.max-timeout", "10s"),
            Map.entry("juggler.calls.default-timeout", "5s"),
            Map.entry("juggler.calls.max-args-bytes", Integer.toString(MAX_ARGS)),
            Map.entry("juggler.server.max-pending-calls", Integer.toString(MAX_PENDING)),
            Map.entry("juggler.server.max-subscriptions", Integer.toString(MAX_SUBSCRIPTIONS)),
            Map.entry("juggler.server.rate-limit", Integer.toString(RATE)),
            Map.entry("juggler.server.rate-burst", Integer.toString(BURST)),
            Map.entry("juggler.server.read-limit", Integer.toString(READ_LIMIT))));
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
    // as an operator would check (the issue's own test): no worker waits on Tyrus's latch
    assertEquals(
        0,
        ServerJvm.of(http()).threadsIn("TyrusHttpUpgradeHandler.java:110"),
        "threads parked at TyrusHttpUpgradeHandler.onDataAvailable");
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

  // ------------------------------------------------------------------ 2. what lives in Redis

  /** Item 2: a client cannot make its data live in Redis longer than max-timeout allows. */
  @Test
  void aTimeoutOverTheMaximumIsNackedAndNothingIsStored() {
    String uri = "nobody." + Uuids.random();
    try (WsClient c = WsClient.connect(ws())) {
      String id = c.call(uri, Long.MAX_VALUE, "1");
      JsonObject nack = c.expectNack(id);
      assertEquals(400, nack.getInt("code"));
      assertTrue(nack.getString("message").contains("juggler.calls.max-timeout"), nack.toString());
      String ok = c.call(uri, 10_000_000_000L, "1"); // exactly the maximum
      c.expectAck(ok);
    }
    try (Jedis redis = REDIS.jedis()) {
      assertEquals(1, redis.llen(RedisKeys.calls(uri)));
      long pttl = redis.pttl(RedisKeys.calls(uri));
      assertTrue(pttl > 0 && pttl <= 10_000, "list ttl " + pttl);
    }
  }

  @Test
  void argsOverTheMaximumAreNackedWith413() {
    try (WsClient c = WsClient.connect(ws())) {
      String big = c.call("test.echo", 0, WsClient.quote("x".repeat(MAX_ARGS)));
      JsonObject nack = c.expectNack(big);
      assertEquals(413, nack.getInt("code"));
      assertTrue(nack.getString("message").contains("juggler.calls.max-args-bytes"));
      String fits = c.call("test.echo", 0, WsClient.quote("x".repeat(MAX_ARGS - 2)));
      c.expectAck(fits);
      c.expectRes(fits);
    }
  }

  /**
   * Item 2: what clients leave in Redis ends by itself. 500 connections each queue a call for a URI
   * nobody serves and leave; once the calls' time is up, no key of theirs remains.
   */
  @Test
  void clientsThatLeaveWithCallsPendingLeaveNothingInRedis() throws Exception {
    String prefix = "gone." + Uuids.random();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        String uri = prefix + "." + (i % 50);
        done.add(
            clients.submit(
                () -> {
                  try (WsClient c = WsClient.connect(ws())) {
                    c.expectAck(c.call(uri, 1_000_000_000L, WsClient.quote("x".repeat(1000))));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      clients.shutdownNow();
    }
    try (Jedis redis = REDIS.jedis()) {
      assertTrue(keysMatching(redis, "juggler:calls:*" + prefix + "*") > 0);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> keysMatching(redis, "juggler:calls:*" + prefix + "*") == 0);
    }
  }

  private static long keysMatching(Jedis redis, String pattern) {
    long n = 0;
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> r = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
      n += r.getResult().size();
      cursor = r.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return n;
  }

  // ------------------------------------------------------------------ 3. quotas and rate

  @Test
  void pendingCallsPerConnectionAreCapped() {
    String uri = "nobody." + Uuids.random();
    try (WsClient c = WsClient.connect(ws())) {
      for (int i = 0; i < MAX_PENDING; i++) {
        c.expectAck(c.call(uri, 5_000_000_000L, "1"));
      }
      JsonObject nack = c.expectNack(c.call(uri, 5_000_000_000L, "1"));
      assertEquals(429, nack.getInt("code"));
      assertTrue(nack.getString("message").contains("juggler.server.max-pending-calls"));
      try (WsClient other = WsClient.connect(ws())) {
        other.expectAck(other.call(uri, 5_000_000_000L, "1")); // a quota per connection
      }
    }
    assertTrue(
        Metrics.value(http(), "juggler_limits_exceeded_total", "limit=\"max-pending-calls\"") >= 1);
  }

  @Test
  void subscriptionsPerConnectionAreCapped() {
    try (WsClient c = WsClient.connect(ws())) {
      for (int i = 0; i < MAX_SUBSCRIPTIONS; i++) {
        c.expectAck(c.sub("cap." + i, false));
      }
      JsonObject nack = c.expectNack(c.sub("cap.more", false));
      assertEquals(429, nack.getInt("code"));
      assertTrue(nack.getString("message").contains("juggler.server.max-subscriptions"));
      c.expectAck(c.sub("cap.0", false)); // one it has: fine
      c.expectAck(c.unsb("cap.1", false));
      c.expectAck(c.sub("cap.more", false)); // room again
    }
  }

  /** Every message over the rate is answered (NACK 429), none is carried out, none is lost. */
  @Test
  void messagesOverTheRateAreNackedWith429AndEveryOneIsAnswered() {
    String channel = "rate." + Uuids.random();
    try (WsClient sub = WsClient.connect(ws());
        WsClient c = WsClient.connect(ws())) {
      sub.expectAck(sub.sub(channel, false));
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 3 * BURST; i++) {
        sent.add(c.pub(channel, Integer.toString(i)));
      }
      int acked = 0;
      int limited = 0;
      for (String id : sent) {
        JsonObject f = c.next();
        int type = f.getJsonObject("meta").getInt("type");
        assertEquals(id, f.getJsonObject("payload").getString("for"));
        if (type == 8) {
          acked++;
        } else {
          assertEquals(7, type);
          assertEquals(429, f.getJsonObject("payload").getInt("code"));
          limited++;
        }
      }
      assertTrue(acked >= BURST && limited > 0, "acked " + acked + ", limited " + limited);
      for (int i = 0; i < acked; i++) {
        assertEquals(10, sub.next().getJsonObject("meta").getInt("type"));
      }
      sub.assertNoFrame();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                c.pub(channel, "\"later\"");
                return c.next().getJsonObject("meta").getInt("type") == 8; // refilled
              });
    }
  }

  // ------------------------------------------------------------------ 5. every message answered

  @Test
  void argsNestedBeyondTheParsersDepthCloseWith1002() throws Exception {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    try (RawSocket s = new RawSocket(ws())) {
      s.send(
          0x81,
          WsClient.request(1, Uuids.random(), "\"uri\":\"test.echo\",\"args\":" + deep)
              .getBytes(StandardCharsets.UTF_8),
          true);
      assertEquals(1002, s.readUntilClose().closeCode());
    }
    callEchoWithin(Duration.ofSeconds(2));
  }

  /**
   * A frame announcing 5 MB (over Tyrus's 4 MB input buffer on Payara, where it closed with 1011
   * and a stack trace) is closed with 1009 on its header alone, as any frame over the read limit.
   */
  @Test
  void aFrameFarOverTheReadLimitClosesWith1009OnItsHeader() throws Exception {
    long length = 5L << 20;
    byte[] header = new byte[14];
    header[0] = (byte) 0x81;
    header[1] = (byte) (0x80 | 127);
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (length >> (56 - 8 * i));
    }
    try (RawSocket s = new RawSocket(ws())) {
      s.sendRaw(header); // the mask key follows as zeros; no payload is ever sent
      assertEquals(1009, s.readUntilClose().closeCode());
    }
    callEchoWithin(Duration.ofSeconds(2));
  }

  /** Another connection's pending uuid cannot be reused (whatever shard or server it is on). */
  @Test
  void aPendingUuidOfAnotherConnectionIsRefusedWith409() {
    String uri = "nobody." + Uuids.random();
    String uuid = Uuids.random();
    String call = WsClient.request(1, uuid, "\"uri\":\"" + uri + "\",\"timeout\":5000000000");
    try (WsClient victim = WsClient.connect(ws())) {
      victim.send(call);
      victim.expectAck(uuid);
      for (int i = 0; i < 8; i++) { // connections spread over the server's result shards
        try (WsClient attacker = WsClient.connect(ws())) {
          attacker.send(call);
          assertEquals(409, attacker.expectNack(uuid).getInt("code"));
        }
      }
    }
    try (Jedis redis = REDIS.jedis()) {
      assertEquals(1, redis.llen(RedisKeys.calls(uri)), "the victim's call, once");
      assertTrue(redis.pttl(RedisKeys.callTimeout(uri, uuid)) > 0);
    }
  }

  // ------------------------------------------------------------------ 7. work past its deadline

  /**
   * Item 7: eight 15 s calls with a 1 s timeout held all eight workers for 15 s, and test.echo
   * waited for them. Functions are now interrupted at their call's deadline.
   */
  @Test
  void functionsPastTheirDeadlineFreeTheirWorkers() {
    String expired = "uri=\"test.delay\"";
    double before =
        Metrics.value(http(), "juggler_callee_calls_total", expired, "outcome=\"expired\"");
    // two connections: the deployment allows MAX_PENDING calls pending per connection
    try (WsClient a = WsClient.connect(ws());
        WsClient b = WsClient.connect(ws());
        WsClient c = WsClient.connect(ws())) {
      for (int i = 0; i < 8; i++) { // the deployment's eight workers
        WsClient w = i % 2 == 0 ? a : b;
        w.expectAck(w.call("test.delay", 1_000_000_000L, "\"15000\""));
      }
      long start = System.nanoTime();
      String echo = c.call("test.echo", 10_000_000_000L, "\"next\"");
      c.expectAck(echo);
      assertEquals("next", c.expectRes(echo).getString("args"));
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(waited.compareTo(Duration.ofSeconds(5)) < 0, "test.echo waited " + waited);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Metrics.value(http(), "juggler_callee_calls_total", expired, "outcome=\"expired\"")
                    >= before + 8);
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
