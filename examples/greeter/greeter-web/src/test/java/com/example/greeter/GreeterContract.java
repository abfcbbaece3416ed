// SPDX-License-Identifier: Apache-2.0
package com.example.greeter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.client.ClientOptions;
import io.juggler.client.JugglerClient;
import io.juggler.message.RawJson;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The greeter on one runtime, with a real redis-server: {@code greeter.war} alone (websocket server
 * and callee in one), then Juggler EE's own {@code juggler-web.war} as the server with {@code
 * greeter-callee.war} beside it. Every call goes through the websocket with Juggler EE's Java
 * client, and the page through its JavaScript client in Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class GreeterContract {

  static final Path WAR = Path.of(System.getProperty("greeter.war"));
  static final Path CALLEE_WAR = Path.of(System.getProperty("greeter.calleeWar"));
  static final Path JUGGLER_WAR = Path.of(System.getProperty("juggler.war"));
  static final Duration STARTUP = Duration.ofMinutes(3);

  private final TestIdentityProvider idp = new TestIdentityProvider();
  private RedisProcess redis;
  private AppServer greeter;

  /** Starts {@code war} on this runtime with {@code env}; {@code name} tells the logs apart. */
  abstract AppServer start(String name, Path war, Map<String, String> env) throws Exception;

  /** The settings of every instance: Redis, token verification, and its name in the answers. */
  private Map<String, String> settings(String instance) {
    Map<String, String> env = new HashMap<>(idp.serverSettings());
    env.put("JUGGLER_REDIS_URL", redis.url());
    env.put("GREETER_INSTANCE", instance);
    return env;
  }

  @BeforeAll
  void startTheGreeter() throws Exception {
    redis = RedisProcess.start();
    greeter = start("greeter", WAR, settings("greeter")).awaitReady(STARTUP);
  }

  @AfterAll
  void stop() throws Exception {
    try (RedisProcess r = redis) {
      if (greeter != null) {
        greeter.close();
      }
    }
  }

  @Test
  @Order(1)
  void anAnonymousCallerIsGreetedByTheNameItGives() {
    try (JugglerClient client = JugglerClient.connect(greeter.ws())) {
      JsonObject answer = hello(client, "{\"name\":\"Ada\"}", Duration.ofSeconds(10));
      assertEquals("Hello, Ada!", answer.getString("greeting"));
      assertFalse(answer.getBoolean("authenticated"));
      assertEquals(List.of(), answer.getJsonArray("roles"));
      assertEquals("greeter", answer.getString("instance"));

      assertEquals(
          "Hello, stranger!", hello(client, null, Duration.ofSeconds(10)).getString("greeting"));
    }
  }

  @Test
  @Order(2)
  void anAuthenticatedCallerIsGreetedByTheNameTheServerVerified() {
    ClientOptions alice =
        ClientOptions.builder().token(idp.token("alice", List.of("staff", "beta"))).build();
    try (JugglerClient client = JugglerClient.connect(greeter.ws(), alice)) {
      // the name in the args does not count: the function reads CallRequest.caller()
      JsonObject answer = hello(client, "{\"name\":\"Mallory\"}", Duration.ofSeconds(10));
      assertEquals("Hello, alice!", answer.getString("greeting"));
      assertTrue(answer.getBoolean("authenticated"));
      assertEquals(
          Set.of("staff", "beta"),
          answer.getJsonArray("roles").getValuesAs(JsonString.class).stream()
              .map(JsonString::getString)
              .collect(Collectors.toSet()));
    }
  }

  @Test
  @Order(3)
  void theFunctionSeesTheCallersDeadline() {
    try (JugglerClient client = JugglerClient.connect(greeter.ws())) {
      // msLeft is the CALL's timeout less the way to the function: within the timeout, not far
      // below it (the way is milliseconds), and different timeouts give different deadlines
      long shortWait =
          hello(client, "{}", Duration.ofSeconds(3)).getJsonNumber("msLeft").longValue();
      assertTrue(shortWait > 1000 && shortWait <= 3000, "3 s timeout, msLeft " + shortWait);
      long longWait =
          hello(client, "{}", Duration.ofSeconds(30)).getJsonNumber("msLeft").longValue();
      assertTrue(longWait > 28000 && longWait <= 30000, "30 s timeout, msLeft " + longWait);

      // work that fits runs; work that would outlast the caller's wait is refused at once
      assertEquals(
          "Hello, stranger!",
          hello(client, "{\"work\":200}", Duration.ofSeconds(5)).getString("greeting"));
      long started = System.nanoTime();
      JsonObject refused = hello(client, "{\"work\":5000}", Duration.ofSeconds(2));
      String message = refused.getJsonObject("error").getString("message");
      assertTrue(
          message.contains("the work takes 5000 ms") && message.contains("not started"), message);
      assertTrue(
          System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(1500),
          "the refusal came at once, not at the deadline");
    }
  }

  @Test
  @Order(4)
  void thePageGreetsThroughTheJavaScriptClient() throws Exception {
    try (GreeterPage page = GreeterPage.open(greeter.http())) {
      assertEquals(
          "Hello, Ada! (served by greeter", page.greet("Ada").replaceFirst(" with .*", ""));
      page.assertNoErrorsInTheConsole();
    }
  }

  /**
   * The deployment split in two: Juggler EE's own WAR, unchanged and without the greeter's code,
   * takes the calls; greeter-callee.war (callee-only by its own configuration) runs the function;
   * they share only Redis. Runs last: it stops the greeter, whose callee would serve the calls too.
   */
  @Test
  @Order(10)
  void theCalleeOnlyWarServesWhatJugglerEesOwnServerTakes() throws Exception {
    greeter.close();
    greeter = null;
    try (AppServer server = start("juggler-web", JUGGLER_WAR, settings("server"));
        AppServer callee = start("callee-only", CALLEE_WAR, settings("callee"))) {
      server.awaitReady(STARTUP);
      callee.awaitReady(STARTUP);

      CompletionException refused =
          assertThrows(
              CompletionException.class,
              () ->
                  HttpClient.newHttpClient()
                      .newWebSocketBuilder()
                      .subprotocols("juggler.0")
                      .buildAsync(callee.ws(), new WebSocket.Listener() {})
                      .orTimeout(10, TimeUnit.SECONDS)
                      .join());
      assertEquals(
          404,
          assertInstanceOf(WebSocketHandshakeException.class, refused.getCause())
              .getResponse()
              .statusCode(),
          "the callee-only WAR has no websocket endpoint");

      try (JugglerClient client = JugglerClient.connect(server.ws())) {
        JsonObject answer = hello(client, "{\"name\":\"Grace\"}", Duration.ofSeconds(10));
        assertEquals("Hello, Grace!", answer.getString("greeting"));
        assertEquals("callee", answer.getString("instance"));
      }
    }
  }

  /** CALLs greeter.hello with {@code argsJson} (none when null) and reads the RES's args. */
  private static JsonObject hello(JugglerClient client, String argsJson, Duration timeout) {
    String res =
        client
            .call("greeter.hello", argsJson == null ? null : RawJson.of(argsJson), timeout)
            .orTimeout(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS)
            .join()
            .json();
    return Json.createReader(new StringReader(res)).readObject();
  }
}
