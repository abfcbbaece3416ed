package io.juggler.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.redis.RedisKeys;
import io.juggler.message.Ack;
import io.juggler.message.Message;
import io.juggler.message.MessageType;
import io.juggler.message.RawJson;
import io.juggler.message.Res;
import io.juggler.message.SessionAck;
import io.juggler.message.Sub;
import io.juggler.message.Uuids;
import io.juggler.testing.Deployments;
import io.juggler.testing.Tokens;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * The Java client, the CLI and the load generator against the real server: the packaged juggler-web
 * WAR on a managed Payara Micro with a real Redis and the demo callees. One class, so Payara starts
 * once; the CLI and the load generator run as their executable JARs.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClientIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();
  static final int CALL_CAPACITY = 20;
  static final Duration WAIT = Duration.ofSeconds(15);

  @ArquillianResource URL base;

  /** Signs the tokens the tools present; the server checks them (juggler.auth.mode=optional). */
  static final Tokens IDP = Tokens.issuer("https://idp.client.test");

  @Deployment(testable = false)
  static WebArchive deployment() {
    Map<String, String> settings = new HashMap<>(IDP.serverSettings());
    // anonymous clients keep every right but private.*, which needs a token
    settings.put("juggler.auth.mode", "optional");
    settings.put("juggler.auth.rules", "CALL private.* authenticated; * * anyone");
    settings.put("juggler.history.channels", "hist.* 100 10m");
    settings.putAll(
        Map.of(
            "juggler.calls.capacity",
            Integer.toString(CALL_CAPACITY),
            "juggler.server.close-uri",
            "test.close",
            // largeResultArrivesInPiecesAndIsReassembled echoes 320 KB (the default allows 64 KiB)
            "juggler.calls.max-args-bytes",
            "1048576"));
    return Deployments.war(REDIS, settings);
  }

  URI ws() {
    return Deployments.ws(base);
  }

  static <T> T get(CompletableFuture<T> f) {
    return f.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** The exception {@code f} fails with, unwrapped. */
  static Throwable failure(CompletableFuture<?> f) {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () -> f.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join());
    return e.getCause();
  }

  static String unique(TestInfo info, String suffix) {
    return "it." + info.getTestMethod().orElseThrow().getName() + "." + suffix;
  }

  // ------------------------------------------------------------------ library: RPC

  @Test
  void callCompletesWithTheResult() {
    try (JugglerClient c = JugglerClient.connect(ws())) {
      assertEquals("juggler.0", c.subprotocol());
      RequestFuture<RawJson> f =
          c.call("test.echo", "{\"invoice\": \"INV-88\", \"lines\": [1, 2.5, null]}", null);
      assertEquals(
          Json.createReader(new StringReader("{\"invoice\":\"INV-88\",\"lines\":[1,2.5,null]}"))
              .readObject(),
          JsonArgs.toValue(get(f)));
      assertTrue(f.isAcknowledged(), "the server ACKs before the RES");
      assertEquals(MessageType.CALL, f.type());
      assertEquals(
          Json.createValue("c😀ba"),
          JsonArgs.toValue(get(c.call("test.reverse", Json.createValue("ab😀c"), null))));
      assertEquals(0, c.pendingRequests());
    }
  }

  @Test
  void failingFunctionGivesAnErrorObjectAsResult() {
    try (JugglerClient c = JugglerClient.connect(ws())) {
      JsonObject res =
          JsonArgs.toValue(get(c.call("test.delay", RawJson.string("abc"), null))).asJsonObject();
      assertTrue(res.getJsonObject("error").getString("message").contains("abc"), res.toString());
    }
  }

  @Test
  void callNobodyServesExpiresLocally(TestInfo info) {
    try (JugglerClient c = JugglerClient.connect(ws())) {
      String uri = unique(info, "nobody");
      // long enough for the ACK to come first even on a loaded machine
      RequestFuture<RawJson> f = c.call(uri, RawJson.NULL, Duration.ofMillis(1500));
      CallExpiredException e = assertInstanceOf(CallExpiredException.class, failure(f));
      assertEquals(f.uuid(), e.callUuid());
      assertEquals(uri, e.uri());
      assertEquals(Duration.ofMillis(1500), e.timeout());
      assertTrue(f.isAcknowledged());
      assertEquals(0, c.pendingRequests());
    }
  }

  @Test
  void callOverCapacityIsRejectedWithTheNack(TestInfo info) {
    try (JugglerClient c = JugglerClient.connect(ws())) {
      String uri = unique(info, "queued");
      List<RequestFuture<RawJson>> queued = new ArrayList<>();
      for (int i = 0; i < CALL_CAPACITY; i++) {
        queued.add(c.call(uri, RawJson.of(Integer.toString(i)), Duration.ofSeconds(30)));
      }
      await().atMost(WAIT).until(() -> queued.stream().allMatch(RequestFuture::isAcknowledged));
      RequestFuture<RawJson> over = c.call(uri, RawJson.NULL, Duration.ofSeconds(30));
      CallRejectedException e = assertInstanceOf(CallRejectedException.class, failure(over));
      assertEquals(500, e.code());
      assertEquals("list capacity exceeded", e.reason());
      assertEquals(uri, e.uri());
      assertEquals(over.uuid(), e.requestUuid());
      assertTrue(queued.stream().noneMatch(CompletableFuture::isDone));
    }
  }

  @Test
  void largeResultArrivesInPiecesAndIsReassembled() {
    try (JugglerClient c = JugglerClient.connect(ws())) {
      String big = "juggler ".repeat(40_000);
      assertEquals(RawJson.string(big), get(c.call("test.echo", RawJson.string(big), null)));
    }
  }

  @Test
  void aTokenAuthenticatesTheClientAndABadOneIsRefusedWithTheServersReason() {
    try (JugglerClient anonymous = JugglerClient.connect(ws())) {
      CallRejectedException e =
          assertInstanceOf(
              CallRejectedException.class,
              failure(anonymous.call("private.ledger", RawJson.NULL, Duration.ofMillis(200))));
      assertEquals(401, e.code());
    }
    String token = IDP.token("alice", "user");
    try (JugglerClient alice =
        JugglerClient.connect(ws(), ClientOptions.builder().token(token).build())) {
      RequestFuture<RawJson> f = alice.call("private.ledger", RawJson.NULL, Duration.ofSeconds(5));
      await().atMost(WAIT).until(f::isAcknowledged);
    }
    JugglerClientException refused =
        assertThrows(
            JugglerClientException.class,
            () ->
                JugglerClient.connect(
                    ws(),
                    ClientOptions.builder()
                        .token(IDP.token("alice", Duration.ofMinutes(-5), "user"))
                        .build()));
    assertTrue(
        refused.getMessage().endsWith("HTTP 401, not authenticated: token expired"),
        refused.getMessage());
  }

  // ------------------------------------------------------------------ library: pub-sub

  @Test
  void patternAndChannelSubscriptionsReceiveEvents(TestInfo info) {
    String prefix = unique(info, "");
    String channel = prefix + "1";
    BlockingQueue<Event> viaPattern = new LinkedBlockingQueue<>();
    BlockingQueue<Event> viaChannel = new LinkedBlockingQueue<>();
    try (JugglerClient subscriber = JugglerClient.connect(ws());
        JugglerClient publisher = JugglerClient.connect(ws())) {
      Subscription pattern = subscriber.subscribe(prefix + "*", true, viaPattern::add);
      Subscription exact = subscriber.subscribe(channel, false, viaChannel::add);
      get(pattern.acknowledged());
      get(exact.acknowledged());

      RequestFuture<Void> pub = publisher.publish(channel, "{\"n\": 1}");
      assertNull(get(pub));
      assertTrue(pub.isAcknowledged());

      Event p = poll(viaPattern);
      assertEquals(channel, p.channel());
      assertEquals(prefix + "*", p.pattern());
      assertEquals(pub.uuid(), p.publicationUuid());
      assertEquals(RawJson.of("{\"n\":1}"), p.args());
      Event e = poll(viaChannel);
      assertNull(e.pattern());
      assertEquals(pub.uuid(), e.publicationUuid());

      get(pattern.unsubscribe());
      get(publisher.publish(channel, "2"));
      assertEquals(RawJson.of("2"), poll(viaChannel).args());
      exact.close();
    }
  }

  @Test
  void subscriptionsToOneChannelShareTheServerSubscription(TestInfo info) {
    String channel = unique(info, "shared");
    List<MessageType> sent = new ArrayList<>();
    BlockingQueue<Event> first = new LinkedBlockingQueue<>();
    BlockingQueue<Event> second = new LinkedBlockingQueue<>();
    BlockingQueue<Message> acks = new LinkedBlockingQueue<>();
    ClientOptions options =
        ClientOptions.builder()
            .listener(
                new ConnectionListener() {
                  @Override
                  public void onMessage(Message m) {
                    if (m.type() == MessageType.ACK) {
                      acks.add(m);
                    }
                  }
                })
            .build();
    try (JugglerClient c = JugglerClient.connect(ws(), options);
        JugglerClient publisher = JugglerClient.connect(ws())) {
      Subscription a = c.subscribe(channel, false, first::add);
      Subscription b = c.subscribe(channel, false, second::add);
      get(a.acknowledged());
      get(b.acknowledged());
      get(publisher.publish(channel, "1"));
      assertEquals(RawJson.of("1"), poll(first).args());
      assertEquals(RawJson.of("1"), poll(second).args());

      assertTrue(a.unsubscribe().isDone(), "no UNSB while another subscription remains");
      get(publisher.publish(channel, "2"));
      assertEquals(RawJson.of("2"), poll(second).args());
      get(b.unsubscribe());

      acks.forEach(m -> sent.add(((Ack) m).forType()));
      assertEquals(List.of(MessageType.SUB, MessageType.UNSB), sent);
      assertTrue(first.isEmpty(), "the closed subscription got " + first);
    }
  }

  /**
   * {@code publish(..., false)}: the other subscriber gets the event, the publisher's own
   * subscription does not; its next, ordinary publication reaches it first.
   */
  @Test
  void aPublicationWithoutEchoSkipsThePublisher() throws Exception {
    String channel = "no-echo." + Uuids.random();
    BlockingQueue<Event> own = new LinkedBlockingQueue<>();
    BlockingQueue<Event> others = new LinkedBlockingQueue<>();
    try (JugglerClient publisher = JugglerClient.connect(ws());
        JugglerClient other = JugglerClient.connect(ws())) {
      get(publisher.subscribe(channel, false, own::add).acknowledged());
      get(other.subscribe(channel, false, others::add).acknowledged());
      get(publisher.publish(channel, RawJson.of("1"), false));
      get(publisher.publish(channel, RawJson.of("2")));
      assertEquals(RawJson.of("1"), poll(others).args());
      assertEquals(RawJson.of("2"), poll(others).args());
      assertEquals(RawJson.of("2"), poll(own).args(), "the first event came to its publisher");
      assertTrue(own.isEmpty(), own.toString());
    }
  }

  /**
   * Issue 23: cancelling a CALL's future cancels the call on the server; the server's ACK of the
   * cancel (seen by the listener) says the call was still queued, and the call's expiry key is
   * gone.
   */
  @Test
  void cancellingACallsFutureCancelsTheCallOnTheServer(TestInfo info) {
    String uri = unique(info, "nobody");
    BlockingQueue<Message> seen = new LinkedBlockingQueue<>();
    ClientOptions options =
        ClientOptions.builder()
            .listener(
                new ConnectionListener() {
                  @Override
                  public void onMessage(Message m) {
                    seen.add(m);
                  }
                })
            .build();
    try (JugglerClient c = JugglerClient.connect(ws(), options);
        Jedis redis = REDIS.jedis()) {
      RequestFuture<RawJson> f = c.call(uri, RawJson.of("1"), Duration.ofMinutes(1));
      await().atMost(WAIT).until(f::isAcknowledged);
      assertTrue(redis.exists(RedisKeys.callTimeout(uri, f.uuid())));
      assertTrue(f.cancel(true));
      assertTrue(f.isCancelled());
      await()
          .atMost(WAIT)
          .until(
              () ->
                  seen.stream()
                      .anyMatch(m -> m instanceof Ack a && "queued".equals(a.cancelled())));
      assertFalse(redis.exists(RedisKeys.callTimeout(uri, f.uuid())), "the call is still queued");
      assertEquals(0, c.pendingRequests());
    }
  }

  /**
   * Issue 23: with a session, a client that resumes gets the results of the calls it made before it
   * dropped (here: the RES reaches the new client's listener).
   */
  @Test
  void aResumedSessionGetsTheResultOfACallMadeBeforeTheDrop() throws Exception {
    String token;
    String call;
    try (JugglerClient first =
        JugglerClient.connect(ws(), ClientOptions.builder().newSession().build())) {
      SessionAck opened = get(first.session());
      assertFalse(opened.resumed());
      token = opened.token();
      RequestFuture<RawJson> f = first.call("test.delay", "\"400\"", Duration.ofSeconds(20));
      call = f.uuid();
      await().atMost(WAIT).until(f::isAcknowledged);
      first.abort();
    }
    BlockingQueue<Res> results = new LinkedBlockingQueue<>();
    ClientOptions resume =
        ClientOptions.builder()
            .resume(token)
            .listener(
                new ConnectionListener() {
                  @Override
                  public void onMessage(Message m) {
                    if (m instanceof Res r) {
                      results.add(r);
                    }
                  }
                })
            .build();
    try (JugglerClient back = JugglerClient.connect(ws(), resume)) {
      assertTrue(get(back.session()).resumed());
      Res r = results.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(r != null, "no result after the resume");
      assertEquals(call, r.forUuid());
      assertEquals("400", r.args().json());
    }
  }

  /**
   * Issue 23: a subscriber that kept the position of the last event it handled subscribes again
   * from there on a new connection and gets what it missed, in order, before live events.
   */
  @Test
  void aSubscriptionFromAPositionGetsTheMissedEventsFirst() throws Exception {
    String channel = "hist." + Uuids.random();
    Sub.Position last;
    try (JugglerClient publisher = JugglerClient.connect(ws())) {
      try (JugglerClient first = JugglerClient.connect(ws())) {
        BlockingQueue<Event> q = new LinkedBlockingQueue<>();
        get(first.subscribe(channel, false, q::add).acknowledged());
        get(publisher.publish(channel, RawJson.of("1")));
        get(publisher.publish(channel, RawJson.of("2")));
        poll(q);
        last = poll(q).position();
        assertEquals(2, last.offset());
      }
      for (int i = 3; i <= 7; i++) {
        get(publisher.publish(channel, RawJson.of(Integer.toString(i))));
      }
      try (JugglerClient again = JugglerClient.connect(ws())) {
        BlockingQueue<Event> q = new LinkedBlockingQueue<>();
        Subscription s = again.subscribe(channel, last, q::add);
        Ack.Recovery r = get(s.recovery());
        assertTrue(r.recovered(), r.toString());
        assertEquals(7, r.offset());
        for (int i = 3; i <= 7; i++) {
          Event e = poll(q);
          assertEquals(i, e.offset());
          assertEquals(RawJson.of(Integer.toString(i)), e.args());
        }
        assertThrows(IllegalStateException.class, () -> again.subscribe(channel, last, e -> {}));
        Subscription lost =
            again.subscribe("hist." + Uuids.random(), new Sub.Position(3, "x"), e -> {});
        assertEquals("epoch changed", get(lost.recovery()).reason());
      }
    }
  }

  /**
   * Issue 23: a client with a session whose connection the server closed resumes it with one call:
   * the call it was waiting for completes with its result, and its subscription to a channel with
   * history gets the events published while it was away, in order, then live ones.
   */
  @Test
  void resumeCarriesTheCallsAndSubscriptionsOverToTheNewConnection() throws Exception {
    String channel = "hist." + Uuids.random();
    try (JugglerClient publisher = JugglerClient.connect(ws())) {
      JugglerClient first =
          JugglerClient.connect(ws(), ClientOptions.builder().newSession().build());
      get(first.session());
      BlockingQueue<Event> q = new LinkedBlockingQueue<>();
      Subscription sub = first.subscribe(channel, false, q::add);
      get(sub.acknowledged());
      get(publisher.publish(channel, RawJson.of("1")));
      assertEquals(1, poll(q).offset());
      RequestFuture<RawJson> call = first.call("test.delay", "\"800\"", Duration.ofSeconds(20));
      await().atMost(WAIT).until(call::isAcknowledged);
      first.call("test.close", RawJson.NULL, null); // the server closes the connection
      get(first.closeFuture());
      assertFalse(call.isDone(), "a call of a session outlives its connection");
      get(publisher.publish(channel, RawJson.of("2")));
      get(publisher.publish(channel, RawJson.of("3")));
      try (JugglerClient second = first.resume()) {
        assertTrue(get(second.session()).resumed());
        assertEquals(RawJson.of("800"), get(call));
        assertEquals(2, poll(q).offset());
        assertEquals(3, poll(q).offset());
        get(publisher.publish(channel, RawJson.of("4")));
        assertEquals(4, poll(q).offset());
        get(sub.unsubscribe()); // the subscription lives on the new connection now
      }
    }
  }

  static Event poll(BlockingQueue<Event> q) {
    try {
      Event e = q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertTrue(e != null, "no event within " + WAIT);
      return e;
    } catch (InterruptedException ex) {
      throw new AssertionError(ex);
    }
  }

  // ------------------------------------------------------------------ library: connection end

  @Test
  void serverCloseFailsEveryPendingCallWithItsCodeAndReason(TestInfo info) {
    JugglerClient c = JugglerClient.connect(ws());
    RequestFuture<RawJson> waiting =
        c.call(unique(info, "nobody"), RawJson.NULL, Duration.ofMinutes(1));
    await().atMost(WAIT).until(waiting::isAcknowledged);
    RequestFuture<RawJson> hook = c.call("test.close", RawJson.NULL, null);

    for (RequestFuture<RawJson> f : List.of(waiting, hook)) {
      ConnectionClosedException e = assertInstanceOf(ConnectionClosedException.class, failure(f));
      assertEquals(1000, e.code());
      assertEquals("bye", e.reason());
      assertFalse(e.byClient());
    }
    assertEquals(1000, get(c.closeFuture()).code());
    assertFalse(c.isOpen());
    assertEquals(0, c.pendingRequests());
    Throwable later = failure(c.call("test.echo", RawJson.NULL, null));
    assertEquals(1000, assertInstanceOf(ConnectionClosedException.class, later).code());
    c.close();
  }

  @Test
  void clientCloseFailsPendingRequests(TestInfo info) {
    JugglerClient c = JugglerClient.connect(ws());
    RequestFuture<RawJson> waiting =
        c.call(unique(info, "nobody"), RawJson.NULL, Duration.ofMinutes(1));
    c.close();
    ConnectionClosedException e =
        assertInstanceOf(ConnectionClosedException.class, failure(waiting));
    assertTrue(e.byClient());
    assertEquals(1000, e.code());
    assertTrue(get(c.closeFuture()).byClient());
  }

  @Test
  void refusedMessageTypeEndsTheConnectionWith1008() {
    ClientOptions pubOnly = ClientOptions.builder().allowedMessages("pub").build();
    try (JugglerClient c = JugglerClient.connect(ws(), pubOnly)) {
      get(c.publish("it.allowed", "1"));
      ConnectionClosedException e =
          assertInstanceOf(
              ConnectionClosedException.class, failure(c.call("test.echo", RawJson.NULL, null)));
      assertEquals(1008, e.code());
    }
  }

  @Test
  void connectingToNothingFailsClearly() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI nowhere = URI.create("ws://127.0.0.1:" + port + "/ws");
    JugglerClientException e =
        assertThrows(JugglerClientException.class, () -> JugglerClient.connect(nowhere));
    assertTrue(e.getMessage().startsWith("cannot connect to " + nowhere), e.getMessage());
  }

  // ------------------------------------------------------------------ CLI through stdin

  @Test
  void cliDrivenThroughStdin(TestInfo info) throws Exception {
    String channel = unique(info, "chan");
    try (Tool cli = Tool.start("juggler.cliJar", "--url", ws().toString(), "--timestamp=")) {
      // --url connects at start
      cli.expect("^\\[1\\] connected to " + Pattern.quote(ws().toString()) + "$");

      // as the README shows it: no connection id while one is open, JSON args as they are
      cli.send("call test.echo {\"hi\":1}");
      String readme = cli.expect("^\\[1\\] >>> CALL message: (\\S+)$").group(1);
      cli.expect("^\\[1\\] <<< RES message: \\S+ for CALL " + readme + " \\(\\{\"hi\":1\\}\\)$");

      // the reference client's form: connection id, timeout, then text (a JSON string) or `JSON`
      cli.send("call 1 test.echo 5s hello cli");
      String call = cli.expect("^\\[1\\] >>> CALL message: (\\S+)$").group(1);
      cli.expect("^\\[1\\] <<< ACK message: \\S+ for CALL " + call + "$");
      cli.expect("^\\[1\\] <<< RES message: \\S+ for CALL " + call + " \\(\"hello cli\"\\)$");

      cli.send("call 1 test.echo 5s `{\"a\": [1, 2]}`");
      String raw = cli.expect("^\\[1\\] >>> CALL message: (\\S+)$").group(1);
      cli.expect(
          "^\\[1\\] <<< RES message: \\S+ for CALL " + raw + " \\(\\{\"a\":\\[1,2\\]\\}\\)$");

      cli.send("call 1 " + channel + ".nobody 200ms");
      String expiring = cli.expect("^\\[1\\] >>> CALL message: (\\S+)$").group(1);
      cli.expect("^\\[1\\] <<< EXP message: \\S+ for CALL " + expiring + "$");

      cli.send("connect");
      cli.expect("^\\[2\\] connected to ");
      cli.send("call test.echo 1");
      cli.expect("^2 connections are open \\(1, 2\\): give the connection id first");
      cli.send("sub 1 " + channel);
      String sub = cli.expect("^\\[1\\] >>> SUB message: (\\S+)$").group(1);
      cli.expect("^\\[1\\] <<< ACK message: \\S+ for SUB " + sub + "$");

      cli.send("pub 2 " + channel + " `{\"x\":1}`");
      String pub = cli.expect("^\\[2\\] >>> PUB message: (\\S+)$").group(1);
      cli.expect("^\\[2\\] <<< ACK message: \\S+ for PUB " + pub + "$");
      Matcher evnt =
          cli.expect(
              "^\\[1\\] <<< EVNT message: \\S+ for PUB " + pub + " \\((\\S+): \\{\"x\":1\\}\\)$");
      assertEquals(channel, evnt.group(1));

      cli.send("help");
      cli.expect("^  call \\[CONN_ID\\] URI \\[TIMEOUT\\] \\[ARGS\\] ");
      cli.expect("^  help or \\? ");
      cli.expect("^CONN_ID may be left out"); // the last line of the help
      assertEquals(1, cli.stdout().lines().filter(l -> l.contains("help or ?")).count());
      cli.send("bogus 1");
      cli.expect("^unknown command: \"bogus\" \\(help lists the commands\\)$");
      cli.send("call 1");
      cli.expect("^usage: call \\[CONN_ID\\] URI \\[TIMEOUT\\] \\[ARGS\\]$");
      cli.send("call 9 test.echo");
      cli.expect("^connection 9 does not exist$");

      cli.send("exit");
      assertEquals(0, cli.awaitExit(), cli.output());
      cli.expect("^\\[1\\] connection closed: 1000 \\(by this client\\)$");
      cli.expect("^\\[2\\] connection closed: 1000 \\(by this client\\)$");
    }
  }

  /**
   * Issue 23 in the CLI: with --session each connection gets a session; disconnect drops one
   * mid-call, resume opens a new connection on its session and the result comes there; cancel
   * cancels a pending call.
   */
  @Test
  void cliResumesASessionAndCancelsACall(TestInfo info) throws Exception {
    try (Tool cli =
        Tool.start("juggler.cliJar", "--url", ws().toString(), "--timestamp=", "--session")) {
      cli.expect("^\\[1\\] connected to ");
      cli.expect("^\\[1\\] <<< ACK message: \\S+ for SESSION \\S+ \\(new\\)$");
      cli.send("call 1 test.delay 20s 800");
      String call = cli.expect("^\\[1\\] >>> CALL message: (\\S+)$").group(1);
      cli.expect("^\\[1\\] <<< ACK message: \\S+ for CALL " + call + "$");
      cli.send("disconnect 1");
      cli.send("resume 1");
      cli.expect("^\\[2\\] connected to ");
      cli.expect("^\\[2\\] <<< ACK message: \\S+ for SESSION \\S+ \\(resumed\\)$");
      cli.expect("^\\[2\\] <<< RES message: \\S+ for CALL " + call + " \\(800\\)$");

      cli.send("call 2 " + unique(info, "nobody") + " 20s");
      String queued = cli.expect("^\\[2\\] >>> CALL message: (\\S+)$").group(1);
      cli.expect("^\\[2\\] <<< ACK message: \\S+ for CALL " + queued + "$");
      cli.send("cancel 2 " + queued);
      String cancel = cli.expect("^\\[2\\] >>> UNSB message: (\\S+)$").group(1);
      cli.expect(
          "^\\[2\\] <<< ACK message: \\S+ for UNSB " + cancel + " \\(cancelled \\S+, queued\\)$");
      cli.send("cancel 2 " + queued);
      cli.expect(
          "^\\[2\\] <<< NACK message: \\S+ for UNSB \\S+ \\(404 no pending call "
              + queued
              + "\\)$");
      cli.send("exit");
      assertEquals(0, cli.awaitExit(), cli.output());
    }
  }

  @Test
  void cliAnswersPipedScriptsBeforeEndOfInput() throws Exception {
    try (Tool cli = Tool.start("juggler.cliJar", "--url", ws().toString(), "--timestamp=")) {
      cli.send("call test.delay 5s 300");
      cli.endInput();
      String call = cli.expect("^\\[1\\] >>> CALL message: (\\S+)$").group(1);
      assertEquals(0, cli.awaitExit(), cli.output());
      cli.expect("^\\[1\\] <<< RES message: \\S+ for CALL " + call + " \\(300\\)$");
    }
  }

  // ------------------------------------------------------------------ load generator

  static JsonObject runLoad(String... args) throws Exception {
    try (Tool load = Tool.start("juggler.loadJar", args)) {
      assertEquals(0, load.awaitExit(), load.output());
      return Json.createReader(new StringReader(load.stdout())).readObject();
    }
  }

  static void assertPercentilesOrdered(JsonObject latency) {
    double[] values = {
      latency.getJsonNumber("min").doubleValue(),
      latency.getJsonNumber("p50").doubleValue(),
      latency.getJsonNumber("p90").doubleValue(),
      latency.getJsonNumber("p99").doubleValue(),
      latency.getJsonNumber("p99.9").doubleValue(),
      latency.getJsonNumber("max").doubleValue()
    };
    assertTrue(values[0] > 0, latency.toString());
    for (int i = 1; i < values.length; i++) {
      assertTrue(values[i - 1] <= values[i], latency.toString());
    }
  }

  @Test
  void loadClosedLoopCountsAddUp() throws Exception {
    JsonObject r =
        runLoad(
            "--url",
            ws().toString(),
            "--connections",
            "3",
            "--concurrency",
            "2",
            "--duration",
            "2s",
            "--warmup",
            "500ms",
            "--uri",
            "test.echo",
            "--payload",
            "\"hi\"",
            "--json",
            "--quiet");
    assertEquals("rpc", r.getString("mode"));
    assertEquals(3, r.getInt("connected"));
    long calls = r.getJsonNumber("calls").longValue();
    long results = r.getJsonNumber("results").longValue();
    assertTrue(results > 0, r.toString());
    assertEquals(
        calls,
        results
            + r.getJsonNumber("nacks").longValue()
            + r.getJsonNumber("expired").longValue()
            + r.getJsonNumber("failed").longValue(),
        r.toString());
    assertEquals(0, r.getInt("failed"), r.toString());
    assertEquals(0, r.getInt("connectionErrors"), r.toString());
    assertTrue(r.getJsonNumber("acks").longValue() >= results, r.toString());
    assertEquals(results, r.getJsonObject("latencyMs").getJsonNumber("count").longValue());
    assertPercentilesOrdered(r.getJsonObject("latencyMs"));
  }

  @Test
  void loadOpenLoopCountsAddUp() throws Exception {
    JsonObject r =
        runLoad(
            "--url",
            ws().toString(),
            "--connections",
            "2",
            "--rate",
            "40",
            "--duration",
            "2s",
            "--warmup",
            "0s",
            "--uri",
            "test.delay",
            "--payload",
            "\"5\"",
            "--json",
            "--quiet");
    long calls = r.getJsonNumber("calls").longValue();
    long results = r.getJsonNumber("results").longValue();
    assertTrue(results > 0, r.toString());
    assertEquals(
        calls,
        results
            + r.getJsonNumber("nacks").longValue()
            + r.getJsonNumber("expired").longValue()
            + r.getJsonNumber("failed").longValue(),
        r.toString());
    // 2 connections x 40/s x 2 s, give or take the pacer's first and last tick
    assertTrue(calls >= 140 && calls <= 180, r.toString());
    assertPercentilesOrdered(r.getJsonObject("latencyMs"));
  }

  @Test
  void loadPubSubDeliversEveryEventToEverySubscriber() throws Exception {
    JsonObject r =
        runLoad(
            "--url",
            ws().toString(),
            "--mode",
            "pubsub",
            "--subscribers",
            "3",
            "--publishers",
            "2",
            "--publish-rate",
            "100",
            "--duration",
            "2s",
            "--warmup",
            "300ms",
            "--json",
            "--quiet");
    assertEquals("pubsub", r.getString("mode"));
    long acks = r.getJsonNumber("acks").longValue();
    long delivered = r.getJsonNumber("delivered").longValue();
    assertTrue(acks > 0, r.toString());
    assertEquals(
        r.getJsonNumber("published").longValue(),
        acks + r.getJsonNumber("nacks").longValue() + r.getJsonNumber("failed").longValue(),
        r.toString());
    assertEquals(3 * acks, r.getJsonNumber("expectedDeliveries").longValue(), r.toString());
    assertEquals(
        r.getJsonNumber("expectedDeliveries").longValue(),
        delivered + r.getJsonNumber("missed").longValue(),
        r.toString());
    assertEquals(0, r.getJsonNumber("missed").longValue(), r.toString());
    assertEquals(3, r.getJsonArray("missedPerSubscriber").size());
    assertEquals(delivered, r.getJsonObject("latencyMs").getJsonNumber("count").longValue());
    assertPercentilesOrdered(r.getJsonObject("latencyMs"));
  }

  @Test
  void loadAndCliPresentTheirToken() throws Exception {
    String[] args = {
      "--url",
      ws().toString(),
      "--connections",
      "1",
      "--rate",
      "20",
      "--uri",
      "private.ledger",
      "--timeout",
      "200ms",
      "--duration",
      "1s",
      "--warmup",
      "0",
      "--json",
      "--quiet"
    };
    JsonObject anonymous = runLoad(args);
    assertEquals(0, anonymous.getJsonNumber("acks").longValue(), anonymous.toString());
    assertTrue(anonymous.getJsonNumber("nacks").longValue() > 0, anonymous.toString());
    String[] withToken = Arrays.copyOf(args, args.length + 2);
    withToken[args.length] = "--token";
    withToken[args.length + 1] = IDP.token("loader", "user");
    JsonObject authenticated = runLoad(withToken);
    assertEquals(0, authenticated.getJsonNumber("nacks").longValue(), authenticated.toString());
    assertTrue(authenticated.getJsonNumber("acks").longValue() > 0, authenticated.toString());

    try (Tool cli =
        Tool.start(
            "juggler.cliJar",
            "--url",
            ws().toString(),
            "--timestamp=",
            "--token",
            IDP.token("carol", "user"))) {
      cli.send("connect");
      cli.expect("^\\[1\\] connected to " + Pattern.quote(ws().toString()) + "$");
      cli.send("call 1 private.ledger 200ms");
      String call = cli.expect("^\\[1\\] >>> CALL message: (\\S+)$").group(1);
      cli.expect("^\\[1\\] <<< ACK message: \\S+ for CALL " + call + "$");
      cli.send("exit");
    }
  }

  @Test
  void loadReportsUnreachableServerWithStatus1() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (Tool load =
        Tool.start(
            "juggler.loadJar",
            "--url",
            "ws://127.0.0.1:" + port + "/ws",
            "--connections",
            "2",
            "--duration",
            "1s",
            "--quiet")) {
      assertEquals(1, load.awaitExit(), load.output());
      assertTrue(load.output().contains("no connection could be opened"), load.output());
    }
  }
}
