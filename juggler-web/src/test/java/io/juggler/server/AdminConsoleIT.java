package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.redis.RedisKeys;
import io.juggler.message.Uuids;
import io.juggler.testing.Deployments;
import io.juggler.testing.Tokens;
import io.juggler.testing.redis.RedisProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URL;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * The operations console in a real headless Chromium against the packaged WAR on Payara Micro, with
 * real traffic from websocket clients: every panel must show the change the test makes, and the
 * actions (disconnect, purge) must take effect. Also the console's login, and metric deltas from
 * {@code /metrics}. One class, so Payara starts once; screenshots go to {@code
 * target/screenshots/AdminConsoleIT-*.png}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminConsoleIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();
  static final String USER = "ops";
  static final String PASSWORD = "it-console-password";
  static final Duration WAIT = Duration.ofSeconds(30);

  static final Tokens IDP = Tokens.issuer("https://idp.console.test");
  static final String TOKEN_ROLE = "console";

  static Browser chromium;
  static ChromeDriver browser;
  static boolean loggedIn;

  @ArquillianResource URL base;

  private final List<WsClient> clients = new ArrayList<>();

  @Deployment(testable = false)
  static WebArchive deployment() {
    Map<String, String> settings = new HashMap<>(IDP.serverSettings());
    settings.putAll(
        Map.of( // one worker: a slow call keeps the next one waiting in the queue
            "juggler.callee.workers",
            "1",
            "juggler.registry.interval",
            "500ms",
            "juggler.redis.blocking-timeout",
            "1s",
            "juggler.admin.user",
            USER,
            "juggler.admin.password",
            PASSWORD,
            "juggler.admin.token-role",
            TOKEN_ROLE,
            "juggler.auth.mode",
            "optional",
            "juggler.history.channels",
            "hist.* 100 10m",
            // the tests' own address stands for a proxy (X-Forwarded-For, X-Forwarded-Proto):
            // whichever of this machine's addresses the server sees them come from
            "juggler.server.trusted-proxies",
            localAddresses()));
    return Deployments.war(REDIS, settings);
  }

  /** Every address of this machine's interfaces, comma-separated. */
  static String localAddresses() {
    try {
      return NetworkInterface.networkInterfaces()
          .flatMap(NetworkInterface::inetAddresses)
          .map(a -> a.getHostAddress().replaceAll("%.*", ""))
          .collect(Collectors.joining(","));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
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

  @BeforeEach
  void logIn() {
    if (loggedIn) {
      return;
    }
    browser.get(base + "admin/");
    await().atMost(WAIT).until(() -> browser.getCurrentUrl().endsWith("/admin/login"));
    browser.findElement(By.id("j_username")).sendKeys(USER);
    browser.findElement(By.id("j_password")).sendKeys(PASSWORD);
    browser.findElement(By.id("sign-in")).click();
    await().atMost(WAIT).ignoreExceptions().until(() -> text("user").equals(USER));
    loggedIn = true;
  }

  @AfterEach
  void screenshotAndClose(TestInfo test) throws IOException {
    try {
      chromium.screenshot("AdminConsoleIT-" + test.getTestMethod().orElseThrow().getName());
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  // ------------------------------------------------------------------ helpers

  WsClient connect(String userAgent) {
    WsClient c =
        WsClient.connect(Deployments.ws(base), Map.of("User-Agent", userAgent), "juggler.0");
    clients.add(c);
    return c;
  }

  /** Opens a console page and waits until its live panel has rendered. */
  void open(String page) {
    browser.get(base + "admin/" + page);
    await().atMost(WAIT).ignoreExceptions().until(() -> !text("updated").isEmpty());
    // a marker that a full page load would remove: refreshes must not reload the page
    browser.executeScript("window.noReload = true;");
  }

  /** The element's text; retried when a refresh replaced the element while it was read. */
  static String text(String id) {
    for (int attempt = 1; ; attempt++) {
      try {
        return browser.findElement(By.id(id)).getText().trim();
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  static List<WebElement> all(String css) {
    return browser.findElements(By.cssSelector(css));
  }

  /** Waits until the element's text satisfies {@code condition} (the page refreshes itself). */
  static String awaitText(String id, Predicate<String> condition) {
    await().atMost(WAIT).ignoreExceptions().until(() -> condition.test(text(id)));
    return text(id);
  }

  static void awaitCss(String css, Predicate<List<WebElement>> condition) {
    await().atMost(WAIT).ignoreExceptions().until(() -> condition.test(all(css)));
  }

  static void assertNotReloaded() {
    assertEquals(
        Boolean.TRUE,
        browser.executeScript("return window.noReload === true"),
        "the page was reloaded instead of refreshed in place");
  }

  /** Accepts the confirmation dialog an action opens. */
  static void confirm(String expectedText) {
    await().atMost(WAIT).ignoreExceptions().until(() -> browser.switchTo().alert() != null);
    String t = browser.switchTo().alert().getText();
    assertTrue(t.contains(expectedText), t);
    browser.switchTo().alert().accept();
  }

  static long number(String s) {
    return Long.parseLong(s.replaceAll("[^0-9]", ""));
  }

  double metric(String name, String... labels) {
    return Metrics.value(Deployments.http(base), name, labels);
  }

  // ------------------------------------------------------------------ security

  @Test
  void consoleNeedsTheAdminLogin() throws Exception {
    ConsoleClient console = new ConsoleClient(base);
    HttpResponse<String> anonymous = console.get("index.xhtml");
    assertEquals(302, anonymous.statusCode());
    assertTrue(
        anonymous.headers().firstValue("Location").orElse("").endsWith("/admin/login"),
        anonymous.headers().toString());

    HttpResponse<String> wrong = console.login(USER, "not-the-password");
    assertTrue(
        wrong.headers().firstValue("Location").orElse("").endsWith("/admin/login?failed"),
        wrong.statusCode() + " " + wrong.headers());
    assertEquals(
        302, console.get("index.xhtml").statusCode(), "a failed login must not open the console");

    HttpResponse<String> right = console.login(USER, PASSWORD);
    assertEquals(302, right.statusCode(), right.body());
    HttpResponse<String> page = console.get("index.xhtml");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("instances-alive"), page.body());

    // both attempts are in the audit list of the overview, with the client's address
    await()
        .atMost(WAIT)
        .until(
            () -> console.get("index.xhtml").body(),
            body ->
                body.contains(
                        "<td>" + USER + "</td><td>login</td><td>console</td><td>signed in (from ")
                    && body.contains(
                        "<td>"
                            + USER
                            + "</td><td>login</td><td>console</td><td>refused: wrong user or"
                            + " password (from "));
  }

  @Test
  void aLoginNotSentByTheLoginFormIsRefused() throws Exception {
    // a page of another site posting the form (login CSRF): no session, no form token
    ConsoleClient forged = new ConsoleClient(base);
    assertEquals(403, forged.post(USER, PASSWORD, null).statusCode());
    assertEquals(302, forged.get("index.xhtml").statusCode(), "not signed in");
    // a session of its own, but a made-up token
    forged.get("login");
    assertEquals(403, forged.post(USER, PASSWORD, "made-up").statusCode());
    assertEquals(302, forged.get("index.xhtml").statusCode(), "not signed in");
    awaitAudit("refused: not sent by the login form");
  }

  @Test
  void passwordGuessingIsThrottledAndAudited() throws Exception {
    ConsoleClient attacker = new ConsoleClient(base);
    String token = ConsoleClient.formToken(attacker.get("login").body());
    int checked = 0;
    int locked = 0;
    String rightPasswordWhileLocked = null;
    long started = System.nanoTime();
    int attempts = 0;
    // 300 guesses, and on until the 2 s lock has been tried (a fast machine guesses 300 in 1 s)
    for (int i = 0; i < 300 || (rightPasswordWhileLocked == null && i < 3_000); i++) {
      attempts++;
      String where =
          attacker.post(USER, "guess-" + i, token).headers().firstValue("Location").orElse("");
      if (where.endsWith("?failed")) {
        checked++;
        if (checked == FREE_GUESSES + 2) {
          // this wrong guess has just started a lock of 2 s: the right password is refused too
          rightPasswordWhileLocked =
              attacker.post(USER, PASSWORD, token).headers().firstValue("Location").orElse("");
        }
      } else if (where.endsWith("?locked")) {
        locked++;
      } else {
        throw new AssertionError("attempt " + i + " answered " + where);
      }
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertTrue(
        checked <= mostGuessesChecked(millis),
        checked + " of " + attempts + " guesses were checked in " + millis + " ms");
    assertEquals(attempts, checked + locked);
    assertTrue(
        rightPasswordWhileLocked != null && rightPasswordWhileLocked.endsWith("?locked"),
        "the right password during a lock: " + rightPasswordWhileLocked);
    awaitAudit("refused: too many failed logins, locked for");
    // once the lock is over, the right password works (and clears the failures)
    await()
        .atMost(Duration.ofSeconds(70))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> attacker.login(USER, PASSWORD).headers().firstValue("Location").orElse(""),
            l -> l.endsWith("/admin/"));
    assertEquals(200, attacker.get("index.xhtml").statusCode());
  }

  /**
   * Third hardening round, item 8: a guesser kept {@code admin} locked out for good (the lock was
   * on the user name). Now it locks out its own address only: the real user, elsewhere, signs in.
   */
  @Test
  void aGuesserLocksOutOnlyItsOwnAddress() throws Exception {
    ConsoleClient guesser = new ConsoleClient(base, "203.0.113.66");
    String token = ConsoleClient.formToken(guesser.get("login").body());
    String where = "";
    for (int i = 0; i < 50 && !where.endsWith("?locked"); i++) {
      where = guesser.post(USER, "guess-" + i, token).headers().firstValue("Location").orElse("");
    }
    assertTrue(where.endsWith("?locked"), "the guesser was never locked: " + where);
    assertTrue(
        guesser
            .post(USER, PASSWORD, token)
            .headers()
            .firstValue("Location")
            .orElse("")
            .endsWith("?locked"),
        "the right password from the guesser's address while locked");
    ConsoleClient owner = new ConsoleClient(base, "198.51.100.21");
    assertTrue(
        owner.login(USER, PASSWORD).headers().firstValue("Location").orElse("").endsWith("/admin/"),
        "the user, from another address, is locked out too");
    assertEquals(200, owner.get("index.xhtml").statusCode());
  }

  /**
   * Item 8: the throttle's check and its record of a failure were two steps, so a parallel burst
   * was checked inside one lock window. Now at most the free guesses and one more are checked.
   */
  @Test
  void aParallelBurstOfGuessesIsThrottledLikeOneAfterAnother() throws Exception {
    ConsoleClient guesser = new ConsoleClient(base, "203.0.113.67");
    String token = ConsoleClient.formToken(guesser.get("login").body());
    ExecutorService burst = Executors.newFixedThreadPool(16);
    List<Future<String>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 64; i++) {
        String guess = "burst-" + i;
        answers.add(
            burst.submit(
                () ->
                    guesser.post(USER, guess, token).headers().firstValue("Location").orElse("")));
      }
      int checked = 0;
      for (Future<String> a : answers) {
        String where = a.get();
        assertTrue(where.endsWith("?failed") || where.endsWith("?locked"), where);
        checked += where.endsWith("?failed") ? 1 : 0;
      }
      assertTrue(checked <= FREE_GUESSES + 1, checked + " of 64 parallel guesses were checked");
    } finally {
      burst.shutdownNow();
    }
  }

  /**
   * Item 8: 100 posts without the form token pushed every real entry out of the cluster's audit
   * list (the last 100). Refused logins now have their own list, and a flood of forged posts is
   * throttled per address: recorded once per lock, not once per post.
   */
  @Test
  void aFloodOfForgedLoginsLeavesTheAuditListAlone() throws Exception {
    ConsoleClient owner = new ConsoleClient(base, "198.51.100.22");
    assertTrue(
        owner
            .login(USER, PASSWORD)
            .headers()
            .firstValue("Location")
            .orElse("")
            .endsWith("/admin/"));
    ConsoleClient forger = new ConsoleClient(base, "203.0.113.68");
    for (int i = 0; i < 150; i++) {
      assertEquals(403, forger.post(USER, "x", null).statusCode());
    }
    String signedIn = "signed in (from 198.51.100.22)";
    try (Jedis redis = REDIS.jedis()) {
      List<String> actions = redis.lrange(RedisKeys.REGISTRY_AUDIT, 0, -1);
      assertTrue(actions.stream().anyMatch(e -> e.contains(signedIn)), actions.toString());
      long recorded =
          redis.lrange(RedisKeys.REGISTRY_AUDIT_REFUSED, 0, -1).stream()
              .filter(e -> e.contains("203.0.113.68"))
              .count();
      assertTrue(recorded >= 1 && recorded <= 15, recorded + " refusals of 150 recorded");
    }
    await()
        .atMost(WAIT)
        .until(
            () -> owner.get("index.xhtml").body(),
            body -> body.contains(signedIn) && body.contains("(from 203.0.113.68)"));
  }

  /** Wrong passwords of one user the console checks before it locks the user out. */
  private static final int FREE_GUESSES = 5;

  /**
   * The most guesses a throttle that works can check in {@code millis}: the free ones, then one per
   * lock, locks lasting 1, 2, 4, ... s (the n-th checked guess past the free ones comes at least
   * 2^(n-1) - 1 s after the first).
   */
  static int mostGuessesChecked(long millis) {
    int locks = 1;
    while ((1L << locks) - 1 <= millis / 1000) {
      locks++;
    }
    return FREE_GUESSES + locks;
  }

  @Test
  void aForgedLineInTheUserNameStaysOnItsLine() throws Exception {
    ConsoleClient c = new ConsoleClient(base);
    c.login("x\n2026-11-30 INFO admin=" + USER + " logged in", "wrong-password");
    awaitAudit("x\\u000a2026-11-30 INFO admin=" + USER + " logged in");
  }

  @Test
  void consolePagesAndCookiesCarryTheirProtections() throws Exception {
    ConsoleClient c = new ConsoleClient(base);
    HttpResponse<String> login = c.get("login");
    String csp = login.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(
        Arrays.asList(csp.split(";\\s*")).contains("script-src 'self'"),
        "scripts from the console's own files only, no inline script: " + csp);
    assertEquals("nosniff", login.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals("no-referrer", login.headers().firstValue("Referrer-Policy").orElse(""));
    String cookie = sessionCookie(login);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertTrue(cookie.contains("HttpOnly"), cookie);
    assertFalse(cookie.contains("Secure"), "plain HTTP: " + cookie);
    if (Deployments.onLiberty()) {
      return; // Liberty writes its session cookie after the application: Secure is server.xml's
    }
    // behind a trusted proxy (this machine, here) that says the client used TLS
    HttpResponse<String> viaTls =
        new ConsoleClient(base).get("login", "X-Forwarded-Proto", "https");
    assertTrue(sessionCookie(viaTls).contains("Secure"), sessionCookie(viaTls));
  }

  static String sessionCookie(HttpResponse<String> r) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(h -> h.startsWith("JSESSIONID="))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no session cookie: " + r.headers()));
  }

  @Test
  void aTokenWithTheConsoleRoleOpensTheConsoleAndOneWithoutDoesNot() throws Exception {
    ConsoleClient operator = new ConsoleClient(base);
    assertEquals(
        200,
        operator
            .get("index.xhtml", "Authorization", "Bearer " + IDP.token("olga", TOKEN_ROLE))
            .statusCode());
    awaitAudit("signed in with a token");
    ConsoleClient user = new ConsoleClient(base);
    assertEquals(
        302,
        user.get("index.xhtml", "Authorization", "Bearer " + IDP.token("ulla", "user"))
            .statusCode());
  }

  @Test
  void noConsolePageBreaksItsContentSecurityPolicy() {
    for (String page :
        List.of(
            "index.xhtml",
            "connections.xhtml",
            "uris.xhtml",
            "queues.xhtml",
            "expired.xhtml",
            "pubsub.xhtml")) {
      open(page);
      String first = text("updated");
      awaitText("updated", t -> !t.equals(first)); // admin.js refreshed it: scripts run
    }
    List<String> violations =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .filter(m -> m.contains("Content Security Policy"))
            .toList();
    assertTrue(violations.isEmpty(), violations.toString());
  }

  /** Waits until the overview's audit list holds an entry containing {@code text}. */
  void awaitAudit(String text) {
    ConsoleClient c = new ConsoleClient(base);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> {
              if (c.get("index.xhtml").statusCode() != 200) {
                c.login(USER, PASSWORD);
              }
              return c.get("index.xhtml").body();
            },
            body -> body.contains(text.replace("&", "&amp;").replace("\"", "&quot;")));
  }

  @Test
  void signingOutEndsTheSession() {
    open("index.xhtml");
    browser.findElement(By.id("sign-out")).click();
    loggedIn = false; // whatever happens next, the next test logs in again
    await().atMost(WAIT).until(() -> browser.getCurrentUrl().endsWith("/admin/login"));
    browser.get(base + "admin/connections.xhtml");
    await().atMost(WAIT).until(() -> browser.getCurrentUrl().endsWith("/admin/login"));
  }

  // ------------------------------------------------------------------ overview

  @Test
  void overviewFollowsConnectionsAndCallsAndDrawsCharts() {
    open("index.xhtml");
    assertEquals("1", awaitText("instances-alive", t -> t.equals("1")));
    assertEquals("reachable", text("redis-status"));
    long before = number(awaitText("total-connections", t -> !t.isEmpty()));

    String ua = "overview-" + Uuids.random();
    WsClient a = connect(ua);
    connect(ua);
    connect(ua);
    awaitText("total-connections", t -> number(t) == before + 3);

    // steady calls until the rate card shows them
    long end = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < end && text("call-rate").startsWith("0.0")) {
      String id = a.call("test.echo", 5_000_000_000L, "1");
      a.expectAck(id);
      a.expectRes(id);
    }
    assertTrue(!text("call-rate").startsWith("0.0"), "call rate still " + text("call-rate"));

    Object points = browser.executeScript("return window.jugglerCharts.rates.data.labels.length");
    assertTrue(((Number) points).intValue() > 0, "rates chart has no points");
    Object maxRate =
        browser.executeScript(
            "return Math.max(...window.jugglerCharts.rates.data.datasets[0].data.map(Number))");
    assertTrue(((Number) maxRate).doubleValue() > 0, "rates chart shows no calls");
    assertNotReloaded();

    clients.forEach(WsClient::close);
    awaitText("total-connections", t -> number(t) == before);
  }

  /** The overview's figures of sessions, recovery and cancels: cluster row, then the live one. */
  static final List<String> RESUME_FIGURES =
      List.of(
          "sessions-created",
          "sessions-resumed",
          "sessions-refused",
          "session-results-resumed",
          "recoveries-recovered",
          "recoveries-not-recoverable",
          "events-replayed",
          "cancelled-queued");

  /** Each of {@link #RESUME_FIGURES}, as {@code cluster:<figure>} and {@code instance:<figure>}. */
  static Map<String, Long> resumeFigures() {
    Map<String, Long> m = new HashMap<>();
    for (String f : RESUME_FIGURES) {
      m.put("cluster:" + f, number(text(f)));
      List<WebElement> cells = all("table#resume tr[data-status='live'] td." + f);
      assertEquals(1, cells.size(), "one live instance: " + f);
      m.put("instance:" + f, number(cells.get(0).getText()));
    }
    return m;
  }

  WsClient connectSession(String session) {
    WsClient c =
        WsClient.connect(Deployments.ws(base), Map.of("Juggler-Session", session), "juggler.0");
    clients.add(c);
    return c;
  }

  /** The session a connection that asked for one gets in its first frame. */
  static jakarta.json.JsonObject session(WsClient c) {
    jakarta.json.JsonObject f = c.next();
    assertEquals(8, f.getJsonObject("meta").getInt("type"), () -> "first frame " + f);
    return f.getJsonObject("payload").getJsonObject("session");
  }

  @Test
  void overviewCountsResumedSessionsRecoveriesAndCancels() {
    open("index.xhtml");
    Map<String, Long> before =
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(AdminConsoleIT::resumeFigures, m -> m.size() == 2 * RESUME_FIGURES.size());

    // a session whose client drops mid-call and resumes: its result waited for it in Redis
    WsClient first = connectSession("new");
    String token = session(first).getString("token");
    String id = token.substring(0, token.indexOf('.'));
    String call = first.call("test.delay", 10_000_000_000L, "\"300\"");
    first.expectAck(call);
    first.close();
    try (Jedis j = REDIS.jedis()) {
      await().atMost(WAIT).until(() -> j.llen(RedisKeys.sessionResults(id)) == 1);
    }
    WsClient resumed = connectSession(token);
    assertTrue(session(resumed).getBoolean("resumed"));
    assertEquals("300", resumed.expectRes(call).get("args").toString());
    // a token that is none: refused, and a fresh session instead
    assertEquals("invalid", session(connectSession("garbage")).getString("refused"));

    // a subscriber that comes back recovers what it missed; one from another epoch cannot
    String channel = "hist." + Uuids.random();
    WsClient subscriber = connect("history");
    subscriber.expectAck(subscriber.sub(channel, false));
    WsClient publisher = connect("publisher");
    for (int i = 1; i <= 3; i++) {
      publisher.expectAck(publisher.pub(channel, Integer.toString(i)));
    }
    jakarta.json.JsonObject event = HistoryRecoveryIT.nextEvent(subscriber);
    assertEquals(1, event.getJsonNumber("offset").longValue(), event::toString);
    WsClient back = connect("back");
    jakarta.json.JsonObject ack =
        back.expectAck(HistoryRecoveryIT.subRecover(back, channel, 1, event.getString("epoch")));
    assertTrue(ack.getBoolean("recovered"), ack::toString);
    for (long offset = 2; offset <= 3; offset++) {
      assertEquals(offset, HistoryRecoveryIT.nextEvent(back).getJsonNumber("offset").longValue());
    }
    WsClient lost = connect("lost");
    ack = lost.expectAck(HistoryRecoveryIT.subRecover(lost, channel, 1, "another-epoch"));
    assertFalse(ack.getBoolean("recovered"), ack::toString);

    // a call cancelled while it waits in the queue of a URI nobody serves
    String uri = "nobody.cancel." + Uuids.random();
    WsClient caller = connect("canceller");
    String pending = caller.call(uri, 60_000_000_000L, "1");
    caller.expectAck(pending);
    String cancel = Uuids.random();
    caller.send(WsClient.request(4, cancel, "\"call\":" + WsClient.quote(pending)));
    assertEquals("queued", caller.expectAck(cancel).getString("cancelled"));

    Map<String, Long> grown =
        Map.of(
            "sessions-created", 2L, // the first, and the fresh one for the refused token
            "sessions-resumed", 1L,
            "sessions-refused", 1L,
            "session-results-resumed", 1L,
            "recoveries-recovered", 1L,
            "recoveries-not-recoverable", 1L,
            "events-replayed", 2L,
            "cancelled-queued", 1L);
    for (String where : List.of("cluster:", "instance:")) {
      for (Map.Entry<String, Long> g : grown.entrySet()) {
        String figure = where + g.getKey();
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(() -> resumeFigures().get(figure) >= before.get(figure) + g.getValue());
      }
    }
    assertNotReloaded();
    try (Jedis j = REDIS.jedis()) {
      j.del("juggler:calls:{" + uri + "}");
    }
  }

  // ------------------------------------------------------------------ connections

  @Test
  void connectionsAreListedFilteredAndDisconnectedFromTheConsole() {
    String ua = "conn-" + Uuids.random();
    WsClient victim = connect(ua);
    WsClient other = connect("other-" + Uuids.random());
    String sub = victim.sub("chan-" + Uuids.random(), false);
    victim.expectAck(sub);

    open("connections.xhtml");
    awaitCss("table#connections tr[data-conn]", rows -> rows.size() >= 2);
    browser.findElement(By.id("live:filter")).sendKeys(ua);
    awaitText("connection-count", t -> t.equals("1"));
    assertTrue(
        text("connections-shown").startsWith("1 connection shown"), text("connections-shown"));
    WebElement row = all("table#connections tr[data-conn]").get(0);
    assertTrue(row.getText().contains(ua), row.getText());
    assertTrue(row.getText().contains(" ago"), row.getText());
    awaitCss(
        "table#connections tr[data-conn] td.num",
        cells -> cells.size() >= 4 && cells.get(3).getText().equals("1")); // subscriptions
    assertNotReloaded();

    all("table#connections tr[data-conn] button.disconnect").get(0).click();
    confirm("Disconnect connection");
    assertEquals(1008, victim.awaitClose());
    assertEquals("disconnected by an administrator", victim.closeReason());
    awaitText("msgs", t -> t.contains("Disconnect of"));
    awaitText("connection-count", t -> t.equals("0"));

    // the other connection is untouched
    String id = other.call("test.echo", 5_000_000_000L, "2");
    other.expectAck(id);
    other.expectRes(id);

    open("index.xhtml");
    awaitCss(
        "table#audit tr",
        rows -> rows.stream().anyMatch(r -> r.getText().contains(USER + " disconnect")));
  }

  @Test
  void connectionsShowTheClientsAddressAndUser() {
    String ua = "who-" + Uuids.random();
    WsClient c =
        WsClient.connect(
            Deployments.ws(base),
            Map.of(
                "User-Agent",
                ua,
                // the first hop is the client's claim, the last the (trusted) proxy's
                "X-Forwarded-For",
                "6.6.6.6, 198.51.100.7",
                "Authorization",
                "Bearer " + IDP.token("alice", "user")),
            "juggler.0");
    clients.add(c);
    String direct = "direct-" + Uuids.random();
    connect(direct);
    open("connections.xhtml");
    browser.findElement(By.id("live:filter")).sendKeys(ua);
    awaitText("connection-count", t -> t.equals("1"));
    String row = all("table#connections tr[data-conn]").get(0).getText();
    assertTrue(row.contains("198.51.100.7") && row.contains("alice"), row);
    assertFalse(row.contains("6.6.6.6"), row);
    browser.findElement(By.id("live:filter")).clear();
    browser.findElement(By.id("live:filter")).sendKeys(direct);
    awaitCss(
        "table#connections tr[data-conn]",
        rows -> rows.size() == 1 && rows.get(0).getText().contains(peerAddress()));
  }

  /** The address the server sees this test's connections come from (the one it dials). */
  String peerAddress() {
    try {
      return InetAddress.getByName(base.getHost()).getHostAddress();
    } catch (UnknownHostException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void firstViewsOfConnectionsAndPubsubAreComplete() {
    String ua = "first-view-" + Uuids.random();
    String channel = "first-view." + Uuids.random();
    WsClient c = connect(ua);
    c.expectAck(c.sub(channel, false));

    // as after a while without a console on those pages: nobody asks the instances for details,
    // and the console has sampled their states without them
    open("index.xhtml");
    try (Jedis j = REDIS.jedis()) {
      j.del(REGISTRY + "watch:connections", REGISTRY + "watch:subscriptions");
    }
    awaitTwoPublicationsWithoutDetails();

    // the first render (open waits for it, no refresh) lists the connection
    open("connections.xhtml");
    assertTrue(
        all("table#connections tr[data-conn]").stream().anyMatch(r -> r.getText().contains(ua)),
        "first view of Connections: " + text("connections-shown"));
    // and the first render of Pub-sub (its details were still unwatched) lists the channel
    open("pubsub.xhtml");
    assertEquals(
        1,
        all("table#subscriptions tr[data-name='" + channel + "']").size(),
        "first view of Pub-sub: " + text("subscriptions"));
  }

  static final String REGISTRY = "juggler:registry:{juggler.registry}:";

  /**
   * An instance that stopped publishing (a state written as if two minutes ago by an instance whose
   * interval is 60 s: 3 minutes to live, silent after 90 s) is shown silent, and left out of the
   * live totals, the served URIs and the connection list.
   */
  @Test
  void anInstanceThatStoppedPublishingIsShownSilentAndLeftOutOfLiveFigures() {
    String id = "ghost-" + Uuids.random().substring(0, 8);
    String uri = "ghost." + Uuids.random();
    long now = System.currentTimeMillis();
    String state =
        jakarta.json.Json.createObjectBuilder()
            .add("id", id)
            .add("host", "ghost")
            .add("startedAt", now - 600_000)
            .add("publishedAt", now - 120_000)
            .add("intervalMillis", 60_000)
            .add("server", true)
            .add("callee", true)
            .add("connectionCount", 7)
            .add("connections", jakarta.json.Json.createArrayBuilder())
            .add("pendingCalls", 3)
            .add("subscriptions", jakarta.json.Json.createArrayBuilder())
            .add("counters", jakarta.json.Json.createObjectBuilder().add("calls", 5))
            .add("latencyP99Micros", 100)
            .add(
                "uris",
                jakarta.json.Json.createArrayBuilder()
                    .add(
                        jakarta.json.Json.createObjectBuilder()
                            .add("uri", uri)
                            .add("workers", 4)
                            .add("calls", 5)
                            .add("failed", 0)
                            .add("expired", 0)
                            .add("meanMicros", 50)
                            .add("p99Micros", 100)))
            .build()
            .toString();
    try (Jedis j = REDIS.jedis()) {
      j.set(REGISTRY + "instance:" + id, state, SetParams.setParams().px(60_000));
      j.zadd(REGISTRY + "instances", now, id);
    }
    try {
      open("index.xhtml");
      String row = "table#instances tr[data-instance='" + id + "']";
      awaitCss(row, rows -> !rows.isEmpty());
      assertEquals("silent", all(row).get(0).getAttribute("data-status"));
      assertTrue(all(row).get(0).getText().contains("silent for 2m"), all(row).get(0).getText());
      assertEquals("1", text("instances-alive"));
      assertEquals("1", text("instances-silent"));
      assertTrue(
          all("table#instances tr[data-status='live']").size() == 1,
          "the live instance is listed as live");

      open("uris.xhtml");
      String uriRow = "table#uris tr[data-uri='" + uri + "']";
      awaitCss(uriRow, rows -> !rows.isEmpty());
      assertEquals("silent", all(uriRow).get(0).getAttribute("data-status"));
      assertTrue(all(uriRow).get(0).getText().contains(id + " (silent for"));

      open("connections.xhtml");
      assertTrue(
          awaitText("connections-shown", t -> t.contains("7 more on silent instances"))
              .contains("left out"));
    } finally {
      try (Jedis j = REDIS.jedis()) {
        j.del(REGISTRY + "instance:" + id, REGISTRY + "control:" + id);
        j.zrem(REGISTRY + "instances", id);
      }
    }
  }

  /**
   * Waits until the instance has published twice without connection or subscription lists, one
   * registry interval apart: the console, sampling once per interval, then holds such a state.
   */
  static void awaitTwoPublicationsWithoutDetails() {
    long[] first = {0};
    await()
        .atMost(WAIT)
        .until(
            () -> {
              try (Jedis j = REDIS.jedis()) {
                for (String id : j.zrange(REGISTRY + "instances", 0, -1)) {
                  String state = j.get(REGISTRY + "instance:" + id);
                  if (state == null) {
                    continue;
                  }
                  jakarta.json.JsonObject o =
                      jakarta.json.Json.createReader(new java.io.StringReader(state)).readObject();
                  boolean bare =
                      o.getJsonArray("connections").isEmpty()
                          && o.getJsonArray("subscriptions").isEmpty()
                          && o.getInt("connectionCount") > 0;
                  long at = o.getJsonNumber("publishedAt").longValue();
                  if (!bare) {
                    first[0] = 0;
                  } else if (first[0] == 0) {
                    first[0] = at;
                  } else if (at > first[0]) {
                    return true;
                  }
                }
              }
              return false;
            });
  }

  // ------------------------------------------------------------------ queues and expiries

  @Test
  void queuesAndExpiredCallsFollowCallsToAUriWithNoCalleeAndAQueueCanBePurged() {
    String uri = "nobody." + Uuids.random();
    String key = "juggler:calls:{" + uri + "}";
    open("expired.xhtml");
    long unansweredBefore = number(stage("unanswered"));
    long abandonedBefore = number(stage("abandoned"));
    WsClient leaving = connect("leaving");
    WsClient waiting = connect("waiting");
    List<String> abandoned = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String id = leaving.call(uri, 60_000_000_000L, "1");
      leaving.expectAck(id);
      abandoned.add(id);
    }
    List<String> unanswered = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = waiting.call(uri, 300_000_000L, "1");
      waiting.expectAck(id);
      unanswered.add(id);
    }

    open("queues.xhtml");
    String row = "table#call-queues tr[data-key='" + key + "']";
    awaitCss(row + " td.depth", cells -> cells.get(0).getText().equals("5"));

    open("uris.xhtml");
    awaitCss(
        "table#uris tr[data-uri='" + uri + "']",
        rows -> rows.get(0).getText().contains("none") && rows.get(0).getText().contains("5"));

    open("expired.xhtml");
    leaving.close();
    for (String id : unanswered) {
      awaitCss(
          "table#recent-expired tr[data-msg='" + id + "'] td.stage",
          cells -> cells.stream().anyMatch(c -> c.getText().equals("unanswered")));
    }
    for (String id : abandoned) {
      awaitCss(
          "table#recent-expired tr[data-msg='" + id + "'] td.stage",
          cells -> cells.stream().anyMatch(c -> c.getText().equals("abandoned")));
    }
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                number(stage("unanswered")) >= unansweredBefore + 3
                    && number(stage("abandoned")) >= abandonedBefore + 2);
    assertNotReloaded();

    open("queues.xhtml");
    awaitCss(row, rows -> rows.size() == 1);
    all(row + " button.purge").get(0).click();
    confirm("Purge " + key);
    awaitText("msgs", t -> t.contains("Purged " + key + ": 5 entries deleted"));
    awaitCss(row, List::isEmpty);
    try (redis.clients.jedis.Jedis j = REDIS.jedis()) {
      assertEquals(0, j.llen(key));
    }
    open("index.xhtml");
    awaitCss(
        "table#audit tr",
        rows -> rows.stream().anyMatch(r -> r.getText().contains(USER + " purge " + key)));
  }

  /** The cluster-wide count of one stage on the expired-calls page. */
  static String stage(String stage) {
    return awaitText("stage-" + stage, t -> !t.isEmpty());
  }

  @Test
  void aCallThatWaitedTooLongInTheQueueIsCountedAtStageQueue() {
    double before = metric("juggler_calls_expired_total", "stage=\"queue\"");
    WsClient c = connect("queue-stage");
    String slow = c.call("test.delay", 10_000_000_000L, "\"1500\"");
    c.expectAck(slow);
    // the only worker is busy for 1.5 s: this call's 300 ms run out while it waits in the queue
    String late = c.call("test.echo", 300_000_000L, "1");
    c.expectAck(late);
    // a newer call keeps the list alive past 300 ms (lists expire with their newest entry, 14.4)
    String next = c.call("test.echo", 10_000_000_000L, "2");
    c.expectAck(next);
    assertEquals(1500, c.expectRes(slow).getInt("args"));
    assertEquals(2, c.expectRes(next).getInt("args"));

    open("expired.xhtml");
    awaitCss(
        "table#recent-expired tr[data-msg='" + late + "'] td.stage",
        cells -> cells.stream().anyMatch(x -> x.getText().equals("queue")));
    await()
        .atMost(WAIT)
        .until(() -> metric("juggler_calls_expired_total", "stage=\"queue\"") >= before + 1);
  }

  // ------------------------------------------------------------------ URIs, pub-sub

  @Test
  void urisShowTheirCalleesWithCallsAndServiceTimes() {
    open("uris.xhtml");
    String row = "table#uris tr[data-uri='test.reverse']";
    awaitCss(row, rows -> !rows.isEmpty());
    long before = number(all(row + " td.calls").get(0).getText());
    WsClient c = connect("uris");
    for (int i = 0; i < 4; i++) {
      String id = c.call("test.reverse", 5_000_000_000L, "\"abc\"");
      c.expectAck(id);
      assertEquals("cba", c.expectRes(id).getString("args"));
    }
    awaitCss(row + " td.calls", cells -> number(cells.get(0).getText()) == before + 4);
    String text = all(row).get(0).getText();
    assertTrue(text.contains("µs") || text.contains("ms"), text);
    assertTrue(text.contains(" ago"), text);
    assertTrue(number(text("served-count")) >= 3, text("served-count"));
  }

  @Test
  void pubsubShowsLocalSubscribersPerChannelAndPattern() {
    String channel = "news." + Uuids.random();
    String pattern = "alerts." + Uuids.random() + ".*";
    WsClient a = connect("pubsub-a");
    WsClient b = connect("pubsub-b");
    a.expectAck(a.sub(channel, false));
    b.expectAck(b.sub(channel, false));
    b.expectAck(b.sub(pattern, true));

    open("pubsub.xhtml");
    String chan = "table#subscriptions tr[data-name='" + channel + "']";
    awaitCss(chan + " td.subscribers", cells -> cells.get(0).getText().equals("2"));
    awaitCss(
        "table#subscriptions tr[data-name='" + pattern + "']",
        rows -> rows.get(0).getText().contains("pattern"));

    a.expectAck(a.unsb(channel, false));
    awaitCss(chan + " td.subscribers", cells -> cells.get(0).getText().equals("1"));
    b.close();
    awaitCss(chan, List::isEmpty);
    assertNotReloaded();
  }

  // ------------------------------------------------------------------ metrics

  @Test
  void metricsCountKnownTraffic() {
    double calls = metric("juggler_messages_received_total", "type=\"CALL\"");
    double subs = metric("juggler_messages_received_total", "type=\"SUB\"");
    double nack400 = metric("juggler_nacks_total", "code=\"400\"");
    double results = metric("juggler_results_delivered_total", "");
    double connections = metric("juggler_connections_total", "");
    double latency = metric("juggler_call_latency_micros_count", "");
    double served =
        metric("juggler_callee_calls_total", "uri=\"test.echo\"", "outcome=\"succeeded\"");

    WsClient c = connect("metrics");
    String ok = c.call("test.echo", 5_000_000_000L, "1");
    c.expectAck(ok);
    c.expectRes(ok);
    String bad = c.call("test.echo", -1, "1");
    assertEquals(400, c.expectNack(bad).getInt("code"));
    c.expectAck(c.sub("m." + Uuids.random(), false));
    String uri = "nobody.metrics." + Uuids.random();
    for (int i = 0; i < 3; i++) {
      c.expectAck(c.call(uri, 60_000_000_000L, "1"));
    }

    // the CALL with a negative timeout is refused before it counts as received
    assertEquals(calls + 4, metric("juggler_messages_received_total", "type=\"CALL\""));
    assertEquals(subs + 1, metric("juggler_messages_received_total", "type=\"SUB\""));
    assertEquals(nack400 + 1, metric("juggler_nacks_total", "code=\"400\""));
    assertEquals(results + 1, metric("juggler_results_delivered_total", ""));
    assertEquals(connections + 1, metric("juggler_connections_total", ""));
    assertEquals(latency + 1, metric("juggler_call_latency_micros_count", ""));
    await() // the callee counts after storing the result, so possibly after the RES went out
        .atMost(WAIT)
        .until(
            () ->
                metric("juggler_callee_calls_total", "uri=\"test.echo\"", "outcome=\"succeeded\"")
                    == served + 1);
    await().atMost(WAIT).until(() -> metric("juggler_queue_depth", "kind=\"calls\"") >= 3);
    assertTrue(metric("juggler_queue_lists", "kind=\"calls\"") >= 1);
    try (redis.clients.jedis.Jedis j = REDIS.jedis()) {
      j.del("juggler:calls:{" + uri + "}");
    }
  }
}
