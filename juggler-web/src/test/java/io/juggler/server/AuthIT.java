package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.juggler.message.Uuids;
import io.juggler.server.functions.Payroll;
import io.juggler.server.functions.Vault;
import io.juggler.server.functions.WhoAmI;
import io.juggler.testing.Deployments;
import io.juggler.testing.Tokens;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Identity and authorisation end to end with real signed tokens (a key made for this run), on
 * whichever runtime the build's profile runs: {@code juggler.auth.mode=required} and a rule set.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();
  static final Tokens IDP = Tokens.issuer("https://idp.juggler.test");
  static final String RULES =
      "CALL test.whoami authenticated; CALL test.echo authenticated; CALL test.delay authenticated;"
          + " CALL test.vault authenticated; CALL test.payroll authenticated;"
          + " CALL billing.* role:billing;"
          + " SUB,PUB user.{name}.* authenticated;"
          + " PUB user.* role:ops;"
          + " SUB * role:admin";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * The identity provider's key set, served over HTTP as an identity provider serves it; the server
   * is given its URL with credentials in it, which must never show (hardening item 9).
   */
  static final HttpServer JWKS = jwksServer();

  static final String JWKS_SECRET = "hunter2-" + Uuids.random().substring(0, 8);

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    Map<String, String> settings = new HashMap<>(IDP.serverSettings());
    settings.remove("mp.jwt.verify.publickey");
    settings.put("mp.jwt.verify.publickey.location", jwksUrl());
    settings.put("juggler.auth.mode", "required");
    settings.put("juggler.auth.rules", RULES);
    settings.put("juggler.auth.query-token", "true");
    return Deployments.war(REDIS, settings).addClasses(WhoAmI.class, Vault.class, Payroll.class);
  }

  static String jwksUrl() {
    return "http://jwks:"
        + JWKS_SECRET
        + "@127.0.0.1:"
        + JWKS.getAddress().getPort()
        + "/realms/test/certs";
  }

  private static HttpServer jwksServer() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/realms/test/certs",
          exchange -> {
            byte[] body = IDP.publicJwks().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopJwks() {
    JWKS.stop(0);
  }

  URI http() {
    return Deployments.http(base);
  }

  URI ws() {
    return Deployments.ws(base);
  }

  WsClient as(String token) {
    return WsClient.connect(ws(), Map.of("Authorization", "Bearer " + token), "juggler.0");
  }

  /** The HTTP response of a handshake the server must refuse. */
  HttpResponse<?> refusedHandshake(URI uri, Map<String, String> headers) {
    WebSocket.Builder b = HTTP.newWebSocketBuilder().subprotocols("juggler.0");
    headers.forEach(b::header);
    try {
      WebSocket ws =
          b.buildAsync(uri, new WebSocket.Listener() {}).orTimeout(10, TimeUnit.SECONDS).join();
      ws.abort();
      throw new AssertionError("handshake accepted: " + headers.keySet());
    } catch (CompletionException e) {
      return assertInstanceOf(WebSocketHandshakeException.class, e.getCause()).getResponse();
    }
  }

  static JsonObject res(WsClient c, String id) {
    return c.expectRes(id);
  }

  // ------------------------------------------------------------------ the handshake

  @Test
  void anAnonymousHandshakeIsRefusedWith401() {
    double before = Metrics.value(http(), "juggler_auth_refused_total", "action=\"CONNECT\"");
    HttpResponse<?> r = refusedHandshake(ws(), Map.of());
    assertEquals(401, r.statusCode());
    assertEquals("Bearer realm=\"juggler\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
    assertTrue(
        Metrics.value(http(), "juggler_auth_refused_total", "action=\"CONNECT\"") >= before + 1);
  }

  @Test
  void badTokensAreRefusedWith401SayingWhy() {
    Map<String, String> bad =
        Map.of(
            "signature not valid",
            Tokens.issuer("https://idp.juggler.test").token("alice", "admin"),
            "token expired",
            IDP.token("alice", Duration.ofMinutes(-5), "user"),
            "issuer not accepted",
            IDP.as("https://evil.test").token("alice", "admin"),
            "audience not accepted",
            IDP.forAudience("someone-else").token("alice"),
            "not a signed JWT",
            "garbage");
    bad.forEach(
        (why, token) -> {
          HttpResponse<?> r = refusedHandshake(ws(), Map.of("Authorization", "Bearer " + token));
          assertEquals(401, r.statusCode(), why);
          String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
          assertTrue(challenge.contains("error=\"invalid_token\""), challenge);
          assertTrue(challenge.contains(why), why + " not in " + challenge);
        });
  }

  /**
   * Item 9 of the third hardening round: a token signed with another key got back where the keys
   * come from (here a URL with credentials) in the 401's body and challenge, and the start-up log
   * printed that URL in clear.
   */
  @Test
  void noRefusalAndNoLogLineShowsWhereTheKeysComeFrom() throws Exception {
    String forged = Tokens.issuer("https://idp.juggler.test").token("alice", "admin");
    RawSocket.Refusal r =
        RawSocket.handshake(
            ws(), "Sec-WebSocket-Protocol: juggler.0", "Authorization: Bearer " + forged);
    assertTrue(r.status().startsWith("HTTP/1.1 401"), r.status());
    assertEquals("signature not valid\n", r.body());
    HttpResponse<?> refused = refusedHandshake(ws(), Map.of("Authorization", "Bearer " + forged));
    String challenge = refused.headers().firstValue("WWW-Authenticate").orElse("");
    assertFalse(challenge.contains("certs") || challenge.contains(JWKS_SECRET), challenge);
    String log = String.join("\n", ServerLog.whole().lines());
    assertTrue(log.contains("//***@127.0.0.1:" + JWKS.getAddress().getPort()), "masked URL logged");
    assertFalse(log.contains(JWKS_SECRET), "the key set URL's password is in the server's log");
  }

  @Test
  void theTokenMayComeInTheHeaderACookieOrTheQuery() {
    String token = IDP.token("alice", "user");
    List<WsClient> clients =
        List.of(
            as(token),
            WsClient.connect(ws(), Map.of("Cookie", "Bearer=" + token), "juggler.0"),
            WsClient.connect(URI.create(ws() + "?access_token=" + token), Map.of(), "juggler.0"));
    for (WsClient c : clients) {
      try (c) {
        String id = c.call("test.whoami", 5_000_000_000L, "null");
        c.expectAck(id);
        assertEquals("alice", res(c, id).getJsonObject("args").getString("name"));
      }
    }
  }

  @Test
  void aConnectionWhoseTokenExpiresIsClosedWith1008() {
    try (WsClient c = as(IDP.token("alice", Duration.ofSeconds(2), "user"))) {
      String id = c.call("test.echo", 5_000_000_000L, "\"still valid\"");
      c.expectAck(id);
      c.expectRes(id);
      await().atMost(Duration.ofSeconds(15)).until(c::isClosed);
      assertEquals(1008, c.awaitClose());
      assertEquals("token expired", c.closeReason());
    }
  }

  // ------------------------------------------------------------------ the caller

  @Test
  void theCalleeSeesTheCallersNameRolesAndConnection() {
    try (WsClient c = as(IDP.token("alice", "user", "reader"))) {
      String id = c.call("test.whoami", 5_000_000_000L, "null");
      c.expectAck(id);
      JsonObject caller = res(c, id).getJsonObject("args");
      assertEquals("alice", caller.getString("name"));
      assertEquals(
          List.of("reader", "user"),
          caller.getJsonArray("roles").getValuesAs(jakarta.json.JsonString.class).stream()
              .map(jakarta.json.JsonString::getString)
              .sorted()
              .toList());
      assertFalse(caller.getString("conn").isEmpty());
    }
  }

  @Test
  void aCallStoredInTheReferencesLayoutIsStillServed() {
    try (Jedis redis = REDIS.jedis()) {
      String conn = Uuids.random();
      String msg = Uuids.random();
      redis.set("juggler:calls:timeout:{test.whoami}:" + msg, "5000", new SetParams().px(5000));
      redis.lpush(
          "juggler:calls:{test.whoami}",
          "{\"conn_uuid\":\"" + conn + "\",\"msg_uuid\":\"" + msg + "\",\"uri\":\"test.whoami\"}");
      List<String> popped = redis.brpop(10, "juggler:results:{" + conn + "}");
      assertTrue(popped != null, "no result");
      assertTrue(popped.get(1).contains("\"args\":{\"anonymous\":true}"), popped.get(1));
    }
  }

  @Test
  void theCalleeEnforcesTheRolesAFunctionDeclares() {
    try (WsClient alice = as(IDP.token("alice", "user"));
        WsClient vera = as(IDP.token("vera", "vault"))) {
      String refused = alice.call("test.vault", 5_000_000_000L, "null");
      alice.expectAck(refused); // the server's rules let any authenticated client call it
      JsonObject error = res(alice, refused).getJsonObject("args").getJsonObject("error");
      assertEquals(403, error.getInt("code"));
      String opened = vera.call("test.vault", 5_000_000_000L, "null");
      vera.expectAck(opened);
      assertEquals("opened for vera", res(vera, opened).getString("args"));
    }
  }

  /** Item 10: {@code @RolesAllowed} on the function's method was silently ignored. */
  @Test
  void rolesOnTheFunctionsMethodAreEnforcedToo() {
    try (WsClient alice = as(IDP.token("alice", "user"));
        WsClient pat = as(IDP.token("pat", "payroll"))) {
      String refused = alice.call("test.payroll", 5_000_000_000L, "null");
      alice.expectAck(refused);
      JsonObject error = res(alice, refused).getJsonObject("args").getJsonObject("error");
      assertEquals(403, error.getInt("code"));
      assertEquals("test.payroll requires one of the roles payroll", error.getString("message"));
      String paid = pat.call("test.payroll", 5_000_000_000L, "null");
      pat.expectAck(paid);
      assertEquals("paid by pat", res(pat, paid).getString("args"));
    }
  }

  // ------------------------------------------------------------------ the rules

  @Test
  void rolesDecideWhoMayCall() {
    double before = Metrics.value(http(), "juggler_auth_refused_total", "action=\"CALL\"");
    try (WsClient alice = as(IDP.token("alice", "user"));
        WsClient bob = as(IDP.token("bob", "billing"))) {
      String refused = alice.call("billing.total", 1_000_000_000L, "null");
      JsonObject nack = alice.expectNack(refused);
      assertEquals(403, nack.getInt("code"));
      assertEquals("CALL billing.total not allowed", nack.getString("message"));
      alice.assertNoFrame();
      bob.expectAck(bob.call("billing.total", 1_000_000_000L, "null"));
      String unlisted = bob.call("test.reverse", 1_000_000_000L, "\"abc\"");
      assertEquals(403, bob.expectNack(unlisted).getInt("code"), "no rule: refused");
    }
    assertTrue(
        Metrics.value(http(), "juggler_auth_refused_total", "action=\"CALL\"") >= before + 2);
  }

  @Test
  void usersHearOnlyTheirOwnChannels() {
    try (WsClient alice = as(IDP.token("alice", "user"));
        WsClient bob = as(IDP.token("bob", "user"));
        WsClient root = as(IDP.token("root", "admin"));
        WsClient ops = as(IDP.token("olga", "ops"))) {
      alice.expectAck(alice.sub("user.alice.inbox", false));
      alice.expectAck(alice.sub("user.alice.*", true));
      for (String[] attempt :
          new String[][] {{"user.bob.inbox", "false"}, {"user.*", "true"}, {"*", "true"}}) {
        String id = alice.sub(attempt[0], Boolean.parseBoolean(attempt[1]));
        assertEquals(403, alice.expectNack(id).getInt("code"), attempt[0]);
      }
      assertEquals(403, alice.expectNack(alice.pub("user.bob.inbox", "\"spoof\"")).getInt("code"));
      bob.expectAck(bob.sub("user.bob.inbox", false));
      root.expectAck(root.sub("*", true));

      String forBob = ops.pub("user.bob.inbox", "\"for bob\"");
      ops.expectAck(forBob);
      assertEquals("for bob", bob.expect(10, forBob).getString("args"));
      assertEquals("user.bob.inbox", root.expect(10, forBob).getString("channel"));
      // alice hears her own channel (twice: as the channel and through her pattern)
      String forAlice = ops.pub("user.alice.inbox", "\"note\"");
      ops.expectAck(forAlice);
      assertEquals("note", alice.expect(10, forAlice).getString("args"));
      assertEquals("note", alice.expect(10, forAlice).getString("args"));
      root.expect(10, forAlice);
      alice.assertNoFrame(); // nothing of bob's
      bob.assertNoFrame(); // nothing of alice's
    }
  }

  @Test
  void aTokenOfAnotherUserGivesNoneOfAlicesRights() {
    try (WsClient mallory = as(IDP.token("mallory", "user"))) {
      String id = mallory.sub("user.alice.inbox", false);
      assertEquals(403, mallory.expectNack(id).getInt("code"));
      String p = mallory.sub("user.alice*", true);
      assertEquals(403, mallory.expectNack(p).getInt("code"));
    }
  }

  /**
   * Issue 23: a session is bound to the identity that opened it. Mallory, with Alice's session
   * token and her own credential, gets a fresh session ({@code refused: foreign}) and none of
   * Alice's results; Alice, with her token, resumes and gets hers.
   */
  @Test
  void aSessionTokenOfAnotherUserIsRefusedAsForeign() {
    String alice = IDP.token("alice", "user");
    String token;
    String call;
    try (WsClient c =
        WsClient.connect(
            ws(),
            Map.of("Authorization", "Bearer " + alice, "Juggler-Session", "new"),
            "juggler.0")) {
      token = c.next().getJsonObject("payload").getJsonObject("session").getString("token");
      call = c.call("test.delay", 10_000_000_000L, "\"300\"");
      c.expectAck(call);
    }
    try (WsClient m =
        WsClient.connect(
            ws(),
            Map.of(
                "Authorization",
                "Bearer " + IDP.token("mallory", "user"),
                "Juggler-Session",
                token),
            "juggler.0")) {
      JsonObject s = m.next().getJsonObject("payload").getJsonObject("session");
      assertEquals("foreign", s.getString("refused"), s::toString);
      assertFalse(s.getBoolean("resumed"));
      String probe = m.call("test.echo", 5_000_000_000L, "1");
      m.expectAck(probe); // nothing of Alice's before the answers to Mallory's own call
      m.expectRes(probe);
    }
    try (WsClient c =
        WsClient.connect(
            ws(),
            Map.of("Authorization", "Bearer " + alice, "Juggler-Session", token),
            "juggler.0")) {
      JsonObject s = c.next().getJsonObject("payload").getJsonObject("session");
      assertTrue(s.getBoolean("resumed"), s::toString);
      assertEquals("300", c.expectRes(call).get("args").toString());
    }
  }
}
