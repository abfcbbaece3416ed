package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.testing.redis.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The EAR on Open Liberty, as {@code ./run.sh --liberty} runs it: the server laid out by {@code
 * liberty:create liberty:deploy} in {@code juggler-ear/target/liberty/wlp} with the repository's
 * {@code server.xml}, started through {@link OpenLiberty}. Calls reach the callees of the EJB
 * module, events flow, and the console's form login and pages work inside the EAR's WAR. Next to
 * it, behind nginx, a Payara Micro without callees: a client resumes its session across the two
 * runtimes, both ways, and gets the RES of the call it dropped ({@link ResumeAcrossRuntimes}).
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
  private static final Path MICRO = Path.of("target/ear-on-liberty-micro").toAbsolutePath();
  private static final String PASSWORD = "ear-test-" + Long.toHexString(System.nanoTime());
  private static final String REDIS_PASSWORD = "redis-" + Long.toHexString(System.nanoTime());

  @Test
  void earServesCallsEventsAndTheConsole() throws Exception {
    try (RedisProcess redis = RedisProcess.start("--requirepass", REDIS_PASSWORD)) {
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
                  WLP, ManyServersIT.freePort(), env, Path.of("target/ear-on-liberty.log"));
          PayaraMicro micro = ResumeAcrossRuntimes.startPayaraMicro(redis.url(), MICRO)) {
        assertTrue(server.awaitReady(300), "Liberty not ready; see target/ear-on-liberty.log");
        EarChecks.callsEventsAndConsole(server, PASSWORD);
        ResumeAcrossRuntimes.resumeBothWays(server, "Open Liberty", micro, MICRO);
        micro.close(); // what follows checks Liberty alone

        // the landing page, a welcome file: asked for with an h2c upgrade (as Java's HttpClient
        // does on a new connection), Liberty answered 101 and then nothing until server.xml said
        // http/1.1
        HttpResponse<String> home =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertTrue(home.body().contains("href=\"demo.html\""), "not the landing page: " + home);
        // the HTTP listener only: OpenLiberty opens no HTTPS unless HTTPS_PORT asks for one
        String messages = Files.readString(WLP.resolve("usr/servers/juggler/logs/messages.log"));
        assertTrue(
            messages.contains("CWWKO0219I: TCP Channel defaultHttpEndpoint has been started"),
            "no HTTP listener in messages.log");
        assertFalse(messages.contains("defaultHttpEndpoint-ssl"), "an HTTPS listener started");

        // hardening item 6: neither password shows anywhere (messages.log: INFO and above)
        SecretChecks.secretsStaySecret(
            server,
            redis,
            REDIS_PASSWORD,
            PASSWORD,
            List.of(
                WLP.resolve("usr/servers/juggler/logs/messages.log"),
                Path.of("target/ear-on-liberty.log")));
      }
    }
  }
}
