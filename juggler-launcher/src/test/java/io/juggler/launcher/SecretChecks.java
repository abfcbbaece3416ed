package io.juggler.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.client.JugglerClient;
import io.juggler.testing.redis.RedisProcess;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Hardening item 6: secrets stay secret. Drives a server whose Redis URL carries a password and
 * whose console has one through everything that could show them — calls, a NACK while Redis is down
 * and its recovery, console logins (wrong and right) and every console page, health, metrics,
 * {@code /debug/vars} — then searches all of it, and every line of the given logs, for either
 * password.
 */
final class SecretChecks {

  private SecretChecks() {}

  /**
   * Runs the checks against {@code server}, whose Redis is {@code redis} (started with {@code
   * --requirepass redisPassword}) and whose console password is {@code adminPassword}; {@code logs}
   * are read at the end.
   */
  static void secretsStaySecret(
      ServerProcess server,
      RedisProcess redis,
      String redisPassword,
      String adminPassword,
      List<Path> logs)
      throws Exception {
    Map<String, String> seen = new LinkedHashMap<>(); // what → text a client or operator saw
    try (JugglerClient client = JugglerClient.connect(URI.create(server.websocketUrl()))) {
      assertEquals(
          "\"cba\"",
          client
              .call("test.reverse", "\"abc\"", Duration.ofSeconds(10))
              .get(30, TimeUnit.SECONDS)
              .json());
      // Redis down: the server reports it (logs, health, NACKs) without the URL's password
      redis.stop();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(server.baseUrl() + "/health/ready") == 503);
      seen.put("/health while Redis is down", body(server.baseUrl() + "/health"));
      ExecutionException nack =
          assertThrows(
              ExecutionException.class,
              () -> client.call("test.echo", "1", Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS));
      seen.put("NACK while Redis is down", String.valueOf(nack.getCause()));
      redis.restart();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> status(server.baseUrl() + "/health/ready") == 200);
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  client
                      .call("test.echo", "2", Duration.ofSeconds(5))
                      .get(10, TimeUnit.SECONDS)
                      .json()
                      .equals("2"));
    }

    HttpClient console =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    EarChecks.login(console, server, "admin", "not-" + adminPassword); // a wrong one: audited
    EarChecks.login(console, server, "admin", adminPassword);
    for (String page :
        List.of(
            "index.xhtml",
            "connections.xhtml",
            "uris.xhtml",
            "queues.xhtml",
            "expired.xhtml",
            "pubsub.xhtml")) {
      String body = EarChecks.get(console, server.baseUrl() + "/admin/" + page);
      assertFalse(body.contains("j_password"), "not signed in: " + page);
      seen.put("console " + page, body);
    }
    await() // the failed login is in the audit list (the user name, never the password)
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> EarChecks.get(console, server.baseUrl() + "/admin/index.xhtml"),
            b -> b.contains("refused: wrong user or password"));
    for (String path : List.of("/health", "/health/ready", "/health/live", "/metrics")) {
      seen.put(path, body(server.baseUrl() + path));
    }
    seen.put("/debug/vars", body(server.baseUrl() + "/debug/vars"));
    assertTrue(seen.get("/metrics").contains("juggler_"), "no metrics: " + seen.get("/metrics"));

    List<String> leaks = new ArrayList<>();
    for (Map.Entry<String, String> e : seen.entrySet()) {
      for (String secret : List.of(redisPassword, adminPassword)) {
        if (e.getValue().contains(secret)) {
          leaks.add(e.getKey() + " shows " + secret);
        }
      }
    }
    long lines = 0;
    for (Path log : logs) {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      lines += all.size();
      for (int i = 0; i < all.size(); i++) {
        for (String secret : List.of(redisPassword, adminPassword)) {
          if (all.get(i).contains(secret)) {
            leaks.add(log + ":" + (i + 1) + ": " + all.get(i));
          }
        }
      }
    }
    assertTrue(lines > 0, "no log lines to search in " + logs);
    assertTrue(leaks.isEmpty(), "secrets surfaced:\n" + String.join("\n", leaks));
  }

  private static int status(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String body(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
