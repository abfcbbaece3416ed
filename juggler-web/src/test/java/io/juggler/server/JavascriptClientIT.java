package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.juggler.message.Uuids;
import io.juggler.server.functions.WhoAmI;
import io.juggler.testing.Deployments;
import io.juggler.testing.Tokens;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * {@code /js/juggler.js} in a real headless Chromium (Debian's chromium and chromedriver) and in
 * Node, against the packaged WAR on Payara Micro and a real Redis. Client code runs in the page
 * through {@code executeAsyncScript}; each script reports its result as JSON. One class, so Payara
 * starts once; screenshots go to {@code target/screenshots/}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JavascriptClientIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();

  /** A page that only loads the module, added to the deployment for this test. */
  static final String TEST_PAGE =
      """
      <!doctype html><meta charset="utf-8"><title>juggler.js test</title>
      <script type="module">
        import * as juggler from './js/juggler.js';
        window.juggler = juggler;
      </script>
      """;

  /**
   * Runs before every script body: the module's exports, the server URL, {@code unique()}, {@code
   * until(cond)} (a bounded wait) and {@code outcome(promise)} (a settled promise as a plain
   * object).
   */
  static final String PRELUDE =
      """
      const done = arguments[arguments.length - 1];
      const { connect, JugglerError, NackError, ExpiredError, DisconnectedError } = window.juggler;
      const url = new URL('ws', location.href).href.replace(/^http/, 'ws');
      // crypto.randomUUID needs a secure context, and the test host is not localhost
      const unique = () => Date.now().toString(36) + Math.random().toString(36).slice(2);
      const until = async (cond, ms = 10000) => {
        const end = performance.now() + ms;
        while (!cond()) {
          if (performance.now() > end) throw new Error('timed out waiting for ' + cond);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      const outcome = (p) => p.then(
        (value) => ({ value }),
        (e) => ({ name: e.name, message: e.message, code: e.code, reason: e.reason, timeout: e.timeout,
          juggler: e instanceof JugglerError, nack: e instanceof NackError,
          expired: e instanceof ExpiredError, disconnected: e instanceof DisconnectedError }));
      """;

  static Browser chromium;
  static ChromeDriver browser;

  @ArquillianResource URL base;

  /** Signs the tokens pages present; the server accepts them beside anonymous clients. */
  static final Tokens IDP = Tokens.issuer("https://idp.browser.test");

  @Deployment(testable = false)
  static WebArchive deployment() {
    Map<String, String> settings = new HashMap<>(IDP.serverSettings());
    settings.put("juggler.server.close-uri", "test.close");
    settings.put("juggler.auth.mode", "optional");
    settings.put("juggler.auth.query-token", "true");
    settings.put("juggler.history.channels", "hist.* 2000 10m");
    return Deployments.war(REDIS, settings)
        .addClasses(WhoAmI.class)
        .addAsWebResource(new StringAsset(TEST_PAGE), "js-test.html");
  }

  @BeforeAll
  static void startBrowser() throws IOException {
    chromium = Browser.start();
    browser = chromium.driver;
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (chromium != null) {
      chromium.close();
    }
  }

  @AfterEach
  void screenshot(TestInfo test) throws IOException {
    String page = browser == null ? "" : browser.getCurrentUrl();
    if (page.startsWith("http")) {
      chromium.screenshot("JavascriptClientIT-" + test.getTestMethod().orElseThrow().getName());
      browser.get("about:blank"); // also closes the page's connections
    }
  }

  /**
   * Loads the test page and runs {@code body} (an async function body) in it; returns its value.
   */
  JsonValue run(String body) {
    browser.get(base + "js-test.html");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Boolean.TRUE.equals(browser.executeScript("return !!window.juggler")));
    String script =
        PRELUDE
            + "(async () => {\n"
            + body
            + "\n})().then((r) => done(JSON.stringify({ ok: r ?? null })),"
            + " (e) => done(JSON.stringify({ thrown: e.name + ': ' + e.message + '\\n' + e.stack })));";
    JsonObject result = json((String) browser.executeAsyncScript(script));
    if (result.containsKey("thrown")) {
      fail("script failed: " + result.getString("thrown"));
    }
    return result.get("ok");
  }

  static JsonObject json(String s) {
    return Json.createReader(new StringReader(s)).readObject();
  }

  // ------------------------------------------------------------------ identity

  @Test
  void aTokenCookieOfThePagesOriginAuthenticatesTheClient() {
    JsonObject r =
        run("""
                const who = async () => {
                  const j = connect(url);
                  try {
                    return await j.call('test.whoami');
                  } finally {
                    j.close();
                  }
                };
                const anonymous = await who();
                document.cookie = 'Bearer=%s; path=/; SameSite=Strict';
                try {
                  return { anonymous, withCookie: await who() };
                } finally {
                  document.cookie = 'Bearer=; path=/; Max-Age=0';
                }
                """
                .formatted(IDP.token("alice", "user")))
            .asJsonObject();
    assertTrue(r.getJsonObject("anonymous").getBoolean("anonymous"), r::toString);
    assertEquals("alice", r.getJsonObject("withCookie").getString("name"), r::toString);
  }

  @Test
  void theTokenOptionIsAskedForAtEveryConnection() {
    JsonObject r =
        run("""
                let asked = 0;
                const j = connect(url, { token: () => (++asked, '%s') });
                try {
                  const me = await j.call('test.whoami');
                  return { name: me.name, roles: me.roles, asked, url: j.url };
                } finally {
                  j.close();
                }
                """
                .formatted(IDP.token("bob", "billing")))
            .asJsonObject();
    assertEquals("bob", r.getString("name"));
    assertEquals("[\"billing\"]", r.getJsonArray("roles").toString());
    assertEquals(1, r.getInt("asked"));
    assertFalse(r.getString("url").contains("access_token"), "the token is not shown in url");
  }

  // ------------------------------------------------------------------ RPC

  @Test
  void callResolvesWithTheResultOfEachDemoFunction() {
    JsonObject r =
        run("""
                const j = connect(url);
                try {
                  const many = await Promise.all(
                    Array.from({ length: 20 }, (_, i) => j.call('test.echo', { i })));
                  return {
                    echo: await j.call('test.echo', { invoice: 'INV-88', lines: [1, 2.5, 'x', null, true] }),
                    reverse: await j.call('test.reverse', 'ab😀c', { timeout: 5000 }),
                    delayNumber: await j.call('test.delay', 50),
                    delayString: await j.call('test.delay', '20'),
                    failure: await j.call('test.delay', 'abc'),
                    matched: many.every((res, i) => res.i === i),
                  };
                } finally {
                  j.close();
                }
                """)
            .asJsonObject();
    assertEquals(json("{\"invoice\":\"INV-88\",\"lines\":[1,2.5,\"x\",null,true]}"), r.get("echo"));
    assertEquals("c😀ba", r.getString("reverse"));
    assertEquals(50, r.getInt("delayNumber"));
    assertEquals(20, r.getInt("delayString"));
    String error = r.getJsonObject("failure").getJsonObject("error").getString("message");
    assertTrue(error.contains("abc"), error);
    assertTrue(r.getBoolean("matched"), "each concurrent call got its own result");
  }

  @Test
  void refusedCallRejectsWithNackError() {
    JsonObject r =
        run("""
                const j = connect(url);
                try {
                  return {
                    negativeTimeout: await outcome(j.call('test.echo', 1, { timeout: -5 })),
                    emptyUri: await outcome(j.call('', 1)),
                  };
                } finally {
                  j.close();
                }
                """)
            .asJsonObject();
    for (String key : List.of("negativeTimeout", "emptyUri")) {
      JsonObject e = r.getJsonObject(key);
      assertEquals("NackError", e.getString("name"), e::toString);
      assertTrue(e.getBoolean("nack") && e.getBoolean("juggler"), e::toString);
      assertEquals(400, e.getInt("code"), e::toString);
    }
    String message = r.getJsonObject("negativeTimeout").getString("message");
    assertTrue(message.contains("negative"), message);
  }

  @Test
  void callNobodyAnswersRejectsWithExpiredErrorAfterItsTimeout() {
    JsonObject r =
        run("""
                const j = connect(url);
                await j.ready();
                const started = performance.now();
                try {
                  const e = await outcome(j.call('nobody.' + unique(), {}, { timeout: 300 }));
                  return { ...e, elapsed: performance.now() - started };
                } finally {
                  j.close();
                }
                """)
            .asJsonObject();
    assertEquals("ExpiredError", r.getString("name"), r::toString);
    assertTrue(r.getBoolean("expired") && r.getBoolean("juggler"), r::toString);
    assertEquals(300, r.getInt("timeout"));
    double elapsed = r.getJsonNumber("elapsed").doubleValue();
    assertTrue(elapsed >= 290 && elapsed < 5000, "expired after " + elapsed + " ms");
  }

  @Test
  void resultBeforeItsAckEventBeforeItsAckAndLateResultAreHandled() {
    // the real server sends ACK before RES, so the other orders of spec 1.4 come from a fake
    // socket injected through the WebSocket option
    JsonObject r =
        run("""
                let socket;
                class FakeSocket {
                  constructor(u, protocol) { socket = this; this.sent = []; setTimeout(() => this.onopen(), 0); }
                  send(text) { this.sent.push(JSON.parse(text)); }
                  close() {}
                  reply(type, payload) {
                    this.onmessage({ data: JSON.stringify({ meta: { type, uuid: unique() }, payload }) });
                  }
                }
                const j = connect('ws://fake.invalid/ws', { WebSocket: FakeSocket });
                await j.ready();

                const first = j.call('x', 1);
                const call = socket.sent[0];
                socket.reply(9, { for: call.meta.uuid, uri: 'x', args: 'result first' });
                socket.reply(8, { for: call.meta.uuid, for_type: 1, uri: 'x' });

                const late = outcome(j.call('y', 2, { timeout: 50 }));
                const lateName = (await late).name;
                socket.reply(9, { for: socket.sent[1].meta.uuid, uri: 'y', args: 'too late' });

                const events = [];
                const subscribed = j.subscribe('c', (args) => events.push(args));
                socket.reply(10, { for: unique(), channel: 'c', args: 'before the ack' });
                socket.reply(8, { for: socket.sent[2].meta.uuid, for_type: 3, channel: 'c' });
                await subscribed;
                j.close();
                return {
                  value: await first, late: lateName, events,
                  wireTimeouts: [call.payload.timeout, socket.sent[1].payload.timeout],
                };
                """)
            .asJsonObject();
    assertEquals("result first", r.getString("value"));
    assertEquals("ExpiredError", r.getString("late"));
    assertEquals(Json.createArrayBuilder().add("before the ack").build(), r.get("events"));
    // timeouts go on the wire in nanoseconds: the 60 s default and the 50 ms of the late call
    assertEquals(
        Json.createArrayBuilder().add(60_000_000_000L).add(50_000_000L).build(),
        r.get("wireTimeouts"));
  }

  // ------------------------------------------------------------------ pub-sub

  @Test
  void patternSubscriptionGetsPublicationsUntilUnsubscribed() {
    JsonObject r =
        run("""
                const sub = connect(url);
                const pub = connect(url);
                try {
                  const id = unique();
                  const events = [];
                  const markers = [];
                  const unsubscribe = await sub.subscribe(`room.${id}.*`,
                    (args, e) => events.push({ args, ...e }), { pattern: true });
                  await sub.subscribe(`marker.${id}`, (args) => markers.push(args));
                  const acked = await pub.publish(`room.${id}.a`, { text: 'hi all' });
                  await until(() => events.length === 1);
                  await unsubscribe();
                  await pub.publish(`room.${id}.a`, { text: 'nobody hears this' });
                  await pub.publish(`marker.${id}`, 'marker');
                  // both publications travel on one Redis connection, in order
                  await until(() => markers.length === 1);
                  return { id, events, acked: acked === undefined };
                } finally {
                  sub.close();
                  pub.close();
                }
                """)
            .asJsonObject();
    String id = r.getString("id");
    JsonArray events = r.getJsonArray("events");
    assertEquals(1, events.size(), events::toString);
    JsonObject e = events.getJsonObject(0);
    assertEquals(json("{\"text\":\"hi all\"}"), e.get("args"));
    assertEquals("room." + id + ".a", e.getString("channel"));
    assertEquals("room." + id + ".*", e.getString("pattern"));
    assertEquals(e.getString("for"), Uuids.normalize(e.getString("for")), "for is a uuid");
    assertTrue(r.getBoolean("acked"));
  }

  /** {@code publish(..., {echo: false})}: every subscriber but the publisher gets the event. */
  @Test
  void aPublicationWithoutEchoSkipsItsPublisher() {
    JsonObject r =
        run("""
                const me = connect(url);
                const other = connect(url);
                try {
                  const channel = `no-echo.${unique()}`;
                  const mine = [];
                  const theirs = [];
                  await me.subscribe(channel, (args) => mine.push(args));
                  await other.subscribe(channel, (args) => theirs.push(args));
                  await me.publish(channel, 'quiet', { echo: false });
                  await me.publish(channel, 'loud');
                  // one connection's events come in publish order: the quiet one would be first
                  await until(() => mine.length === 1 && theirs.length === 2);
                  return { mine, theirs };
                } finally {
                  me.close();
                  other.close();
                }
                """)
            .asJsonObject();
    assertEquals(Json.createArrayBuilder().add("loud").build(), r.get("mine"));
    assertEquals(Json.createArrayBuilder().add("quiet").add("loud").build(), r.get("theirs"));
  }

  // ------------------------------------------------------------------ connection loss

  @Test
  void withoutASessionServerCloseRejectsPendingCallsThenReconnectsAndResubscribes() {
    JsonObject r =
        run("""
                const j = connect(url, { reconnect: { initialDelay: 100, maxDelay: 1000 }, session: false });
                const pub = connect(url);
                try {
                  const states = [];
                  const closes = [];
                  j.on('state', (s) => states.push(s));
                  j.on('close', (e) => closes.push(e));
                  const reconnected = new Promise((resolve) => j.on('reconnect', resolve));
                  const channel = 'again.' + unique();
                  const events = [];
                  await j.subscribe(channel, (args) => events.push(args));

                  const pending = outcome(j.call('nobody.' + unique(), 1, { timeout: 20000 }));
                  const bye = outcome(j.call('test.close', null)); // the server closes with 1000 bye
                  const rejected = await Promise.all([pending, bye]);
                  const reconnect = await reconnected;
                  await pub.publish(channel, 'after the reconnect');
                  await until(() => events.length === 1);
                  return { rejected, reconnect, states, closes, events,
                           echo: await j.call('test.echo', 'still works'), state: j.state };
                } finally {
                  j.close();
                  pub.close();
                }
                """)
            .asJsonObject();
    for (JsonValue v : r.getJsonArray("rejected")) {
      JsonObject e = v.asJsonObject();
      assertEquals("DisconnectedError", e.getString("name"), e::toString);
      assertTrue(e.getBoolean("disconnected") && e.getBoolean("juggler"), e::toString);
      assertEquals(1000, e.getInt("code"), e::toString);
      assertEquals("bye", e.getString("reason"), e::toString);
      assertTrue(e.getString("message").contains("connection closed (1000 bye)"), e::toString);
    }
    JsonObject close = r.getJsonArray("closes").getJsonObject(0);
    assertEquals(1000, close.getInt("code"));
    assertEquals(
        List.of("open", "reconnecting", "connecting", "open", "closed"),
        r.getJsonArray("states").getValuesAs(JsonString::getString));
    assertEquals(1, r.getJsonObject("reconnect").getInt("attempt"));
    assertEquals(Json.createArrayBuilder().add("after the reconnect").build(), r.get("events"));
    assertEquals("still works", r.getString("echo"));
    assertEquals("open", r.getString("state"));
  }

  /**
   * Issue 23: by default the client asks for a session, so a call pending when the server closes
   * the connection gets its result after the reconnect; a token the server refuses rejects such
   * calls and says why.
   */
  @Test
  void aCallPendingWhenTheConnectionDropsGetsItsResultAfterTheReconnect() {
    JsonObject r =
        run("""
                const j = connect(url, { reconnect: { initialDelay: 100, maxDelay: 1000 } });
                try {
                  const sessions = [];
                  j.on('session', (s) => sessions.push(s));
                  await j.call('test.echo', 'connected');
                  const pending = outcome(j.call('test.delay', '1500', { timeout: 20000 }));
                  const bye = outcome(j.call('test.close', null, { timeout: 3000 }));
                  const [result, closeCall] = await Promise.all([pending, bye]);
                  return { result, closeCall, sessions, state: j.state };
                } finally {
                  j.close();
                }
                """)
            .asJsonObject();
    assertEquals("1500", r.getJsonObject("result").get("value").toString(), r::toString);
    assertTrue(r.getJsonObject("closeCall").getBoolean("expired"), r::toString);
    JsonArray sessions = r.getJsonArray("sessions");
    assertEquals(2, sessions.size(), r::toString);
    assertFalse(sessions.getJsonObject(0).getBoolean("resumed"), r::toString);
    assertTrue(sessions.getJsonObject(1).getBoolean("resumed"), r::toString);
    assertEquals(
        sessions.getJsonObject(0).getString("id"), sessions.getJsonObject(1).getString("id"));
    assertEquals("open", r.getString("state"));
  }

  /**
   * Issue 23: an aborted signal cancels the call: the promise rejects with the signal's reason at
   * once, the server is told (the call's function is interrupted: the callee counts it cancelled),
   * and a signal aborted before the call sends nothing.
   */
  @Test
  void anAbortSignalCancelsTheCall() {
    JsonObject r =
        run("""
                const j = connect(url);
                try {
                  await j.call('test.echo', 'connected');
                  const early = new AbortController();
                  early.abort();
                  const before = await outcome(j.call('test.echo', 1, { signal: early.signal }));
                  const controller = new AbortController();
                  const started = performance.now();
                  const running = outcome(j.call('test.delay', '3000', { signal: controller.signal }));
                  setTimeout(() => controller.abort(), 500);
                  const aborted = await running;
                  return { before, aborted, ms: performance.now() - started,
                           after: await j.call('test.echo', 'after') };
                } finally {
                  j.close();
                }
                """)
            .asJsonObject();
    assertEquals("AbortError", r.getJsonObject("before").getString("name"), r::toString);
    assertEquals("AbortError", r.getJsonObject("aborted").getString("name"), r::toString);
    assertTrue(r.getJsonNumber("ms").doubleValue() < 2500, r::toString);
    assertEquals("after", r.getString("after"));
    // the server cancelled the running call: the callee interrupted it and stored nothing
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Metrics.value(
                        Deployments.http(base),
                        "juggler_callee_calls_total",
                        "outcome=\"cancelled\"",
                        "uri=\"test.delay\"")
                    >= 1);
  }

  /**
   * Issue 23: events published while the client is away from a channel with history are replayed
   * after its reconnect, in order and each once; a position the server cannot recover from is
   * reported as a recovery event.
   */
  @Test
  void eventsMissedWhileAwayArriveAfterTheReconnectAndALossIsReported() {
    JsonObject r =
        run("""
                const j = connect(url, { reconnect: { initialDelay: 1500, maxDelay: 1500 } });
                const pub = connect(url);
                try {
                  const channel = 'hist.' + unique();
                  const got = [];
                  const recoveries = [];
                  j.on('recovery', (e) => recoveries.push(e));
                  await j.subscribe(channel, (args, e) => got.push([args, e.offset]));
                  for (let i = 1; i <= 3; i++) await pub.publish(channel, i);
                  await until(() => got.length === 3);
                  const closed = new Promise((resolve) => j.on('close', resolve));
                  j.call('test.close', null, { timeout: 2000 }).catch(() => {});
                  await closed;
                  for (let i = 4; i <= 53; i++) await pub.publish(channel, i);
                  await until(() => got.length === 53, 20000);
                  const other = 'hist.' + unique();
                  await pub.publish(other, 'x');
                  const lost = [];
                  await j.subscribe(other, (args) => lost.push(args), { since: { offset: 1, epoch: 'bogus' } });
                  return { got, recoveries };
                } finally {
                  j.close();
                  pub.close();
                }
                """)
            .asJsonObject();
    JsonArray got = r.getJsonArray("got");
    for (int i = 0; i < 53; i++) {
      assertEquals(i + 1, got.getJsonArray(i).getInt(0), r::toString);
      assertEquals(i + 1, got.getJsonArray(i).getInt(1), r::toString);
    }
    JsonArray recoveries = r.getJsonArray("recoveries");
    assertEquals(2, recoveries.size(), r::toString);
    assertTrue(recoveries.getJsonObject(0).getBoolean("recovered"), r::toString);
    assertFalse(recoveries.getJsonObject(1).getBoolean("recovered"), r::toString);
    assertEquals("epoch changed", recoveries.getJsonObject(1).getString("reason"));
  }

  // ------------------------------------------------------------------ served files

  @Test
  void moduleAndDeclarationsAreServedWithScriptTypes() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String[] file :
        new String[][] {{"js/juggler.js", "javascript"}, {"js/juggler.d.ts", "typescript"}}) {
      java.net.http.HttpResponse<String> r =
          http.send(
              java.net.http.HttpRequest.newBuilder(Deployments.http(base).resolve(file[0])).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), file[0]);
      String type = r.headers().firstValue("Content-Type").orElse("");
      assertTrue(type.contains(file[1]), file[0] + " served as \"" + type + "\"");
      assertTrue(r.body().contains("connect"), file[0]);
    }
  }

  // ------------------------------------------------------------------ the demo page

  @Test
  void demoPageCallsSubscribesPublishesAndShowsEvents() {
    browser.get(base + "demo.html");
    await().atMost(Duration.ofSeconds(10)).until(() -> text("state").equals("open"));

    browser.findElement(By.cssSelector("button.preset[data-uri='test.reverse']")).click();
    awaitLog("test.reverse → \"relgguj olleh\"");

    type("uri", "test.echo");
    type("call-args", "{\"n\": 7}");
    click("call");
    awaitLog("test.echo → {\"n\":7}");

    type("uri", "nobody.demo");
    type("timeout", "200");
    click("call");
    awaitLog("nobody.demo failed: ExpiredError");

    String channel = "demo." + Uuids.random();
    type("channel", channel);
    click("subscribe");
    awaitLog("subscribed to " + channel);
    type("pub-args", "{\"text\": \"hi from the test\"}");
    click("publish");
    awaitLog(channel + ": {\"text\":\"hi from the test\"}");

    browser.findElement(By.cssSelector("#subscriptions button")).click();
    awaitLog("unsubscribed from " + channel);
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private void type(String id, String value) {
    WebElement field = browser.findElement(By.id(id));
    field.clear();
    field.sendKeys(value);
  }

  private void click(String id) {
    browser.findElement(By.id(id)).click();
  }

  private void awaitLog(String expected) {
    await().atMost(Duration.ofSeconds(10)).until(() -> text("log"), log -> log.contains(expected));
  }

  // ------------------------------------------------------------------ Node

  @Test
  void nodeClientCallsPublishesAndReceives() throws Exception {
    NpmPackage.assumeInstalled("node");
    String war = System.getProperty("juggler.war");
    Path module = Path.of(war.replaceFirst("\\.war$", ""), "js", "juggler.js").toAbsolutePath();
    Path script = Path.of("src", "test", "js", "node-smoke.mjs").toAbsolutePath();
    Path target = Path.of("target").toAbsolutePath();
    assertNodeSmoke(target, target.resolve("node-smoke"), script, module.toString());
  }

  /**
   * The npm package, packed and installed into a scratch project as {@code NpmPackageTest} does,
   * imported there by its name, against this server.
   */
  @Test
  void packedClientImportedByNameCallsTheServer() throws Exception {
    NpmPackage.assumeInstalled("node", "npm");
    Path work = Path.of("target", "npm-package-it").toAbsolutePath();
    NpmPackage pkg = NpmPackage.packAndInstall(work);
    // a bare specifier resolves from the importing script's folder: the scratch project's
    Path script =
        Files.copy(
            Path.of("src", "test", "js", "node-smoke.mjs"),
            pkg.project().resolve("node-smoke.mjs"));
    assertNodeSmoke(pkg.project(), work.resolve("node-smoke"), script, NpmPackage.NAME);
  }

  /**
   * Runs node-smoke.mjs in {@code dir} on the given module (a path or a package name) against this
   * server, its output in LOG.out and LOG.err.
   */
  private void assertNodeSmoke(Path dir, Path log, Path script, String module) throws Exception {
    List<String> args = new ArrayList<>();
    if (!NpmPackage.globalWebSocket()) {
      args.add("--experimental-websocket"); // WebSocket is global from Node 22
    }
    args.addAll(List.of(script.toString(), module, Deployments.ws(base).toString()));
    JsonObject r = json(NpmPackage.node(dir, log, args).strip());
    assertEquals(json("{\"from\":\"node\",\"n\":[1,2]}"), r.get("echo"));
    assertEquals("edon", r.getString("reversed"));
    assertEquals(json("{\"nackError\":true,\"code\":400}"), r.get("nack"));
    assertEquals(json("{\"hello\":\"node\"}"), r.get("received"));
    assertEquals("open", r.getString("state"));
  }
}
