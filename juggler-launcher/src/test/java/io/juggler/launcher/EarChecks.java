package io.juggler.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.client.Event;
import io.juggler.client.JugglerClient;
import io.juggler.client.Subscription;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the EAR tests check on each full server: a CALL, an EVNT and the console's login. */
final class EarChecks {

  private EarChecks() {}

  /**
   * A CALL reaches the callees of the EJB module, an EVNT reaches a subscriber, and the console's
   * form login (user {@code admin}, {@code password}) leads to its overview, which shows Redis as
   * the console's monitor found it.
   */
  static void callsEventsAndConsole(ServerProcess server, String password) throws Exception {
    try (JugglerClient client = JugglerClient.connect(URI.create(server.websocketUrl()))) {
      assertEquals(
          "\"cba\"",
          client
              .call("test.reverse", "\"abc\"", Duration.ofSeconds(10))
              .get(30, TimeUnit.SECONDS)
              .json());
      BlockingQueue<Event> events = new LinkedBlockingQueue<>();
      try (Subscription s = client.subscribe("ear.news", false, events::add)) {
        s.acknowledged().get(30, TimeUnit.SECONDS);
        client.publish("ear.news", "{\"n\":1}").get(30, TimeUnit.SECONDS);
        Event e = events.poll(30, TimeUnit.SECONDS);
        assertNotNull(e, "no EVNT");
        assertEquals("{\"n\":1}", e.args().json());
      }
    }

    HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    String login = get(http, server.baseUrl() + "/admin/");
    assertTrue(login.contains("sign in"), "expected the login page, got " + login);
    login(http, server, "admin", password);
    String overview = get(http, server.baseUrl() + "/admin/");
    assertTrue(overview.contains("Overview"), "expected the overview, got " + overview);
    // the cluster monitor runs: the overview shows what it read from Redis
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get(http, server.baseUrl() + "/admin/")
                    .contains("<span id=\"redis-status\" class=\"ok\">reachable"));
  }

  /**
   * Signs {@code http} (which keeps cookies) in to the console as a browser would: the login page
   * for its form token (a POST without it is refused with 403), then the form.
   */
  static void login(HttpClient http, ServerProcess server, String user, String password)
      throws Exception {
    String form = loginForm(get(http, server.baseUrl() + "/admin/login"), user, password);
    http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/j_security_check"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  /** The body a browser posts from the login page {@code page}: user, password, form token. */
  static String loginForm(String page, String user, String password) {
    Matcher token = Pattern.compile("name=\"_form\" value=\"([^\"]+)\"").matcher(page);
    assertTrue(token.find(), "no form token: " + page);
    return "j_username="
        + URLEncoder.encode(user, StandardCharsets.UTF_8)
        + "&j_password="
        + URLEncoder.encode(password, StandardCharsets.UTF_8)
        + "&_form="
        + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
  }

  static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
