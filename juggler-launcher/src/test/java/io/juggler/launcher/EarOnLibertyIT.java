package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.client.Event;
import io.juggler.client.JugglerClient;
import io.juggler.client.Subscription;
import io.juggler.testing.RedisProcess;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The EAR on Open Liberty, as {@code ./run.sh --liberty} runs it: the server laid out by {@code
 * liberty:create liberty:deploy} in {@code juggler-ear/target/liberty/wlp} with the repository's
 * {@code server.xml}, started through {@link OpenLiberty}. Calls reach the callees of the EJB
 * module, events flow, and the console's form login and pages work inside the EAR's WAR.
 *
 * <p>Needs that layout, so it runs only with {@code -Djuggler.ear.it=true}; {@code .ci/run} lays
 * the server out and runs it after the two Arquillian suites.
 */
@EnabledIfSystemProperty(
    named = "juggler.ear.it",
    matches = "true",
    disabledReason = "needs ./mvnw -pl juggler-ear liberty:create liberty:deploy; .ci/run does it")
class EarOnLibertyIT {

  private static final Path WLP = Path.of("../juggler-ear/target/liberty/wlp");
  private static final String PASSWORD = "ear-test-" + Long.toHexString(System.nanoTime());

  @Test
  void earServesCallsEventsAndTheConsole() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      Map<String, String> env =
          Map.of(
              "JUGGLER_REDIS_URL",
              redis.url(),
              "JUGGLER_CALLEE_DEMO_ENABLED",
              "true",
              "JUGGLER_ADMIN_PASSWORD",
              PASSWORD);
      try (OpenLiberty server =
          OpenLiberty.start(
              WLP, ManyServersIT.freePort(), env, Path.of("target/ear-on-liberty.log"))) {
        assertTrue(server.awaitReady(300), "Liberty not ready; see target/ear-on-liberty.log");

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
        // the landing page (a welcome file: asked for with an h2c upgrade, as this client does on a
        // new connection, Liberty answered 101 and then nothing until server.xml said http/1.1);
        // the HTTP listener only (OpenLiberty opens no HTTPS unless asked)
        String home = get(HttpClient.newHttpClient(), server.baseUrl() + "/");
        assertTrue(home.contains("href=\"demo.html\""), "expected the landing page, got " + home);
        String messages = Files.readString(WLP.resolve("usr/servers/juggler/logs/messages.log"));
        assertTrue(
            messages.contains("CWWKO0219I: TCP Channel defaultHttpEndpoint has been started"),
            "no HTTP listener in messages.log");
        assertFalse(messages.contains("defaultHttpEndpoint-ssl"), "an HTTPS listener started");

        String login = get(http, server.baseUrl() + "/admin/");
        assertTrue(login.contains("sign in"), "expected the login page, got " + login);
        String form =
            "j_username=admin&j_password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.discarding());
        String overview = get(http, server.baseUrl() + "/admin/");
        assertTrue(overview.contains("Overview"), "expected the overview, got " + overview);
      }
    }
  }

  private static String get(HttpClient http, String url) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
