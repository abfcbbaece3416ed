package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.juggler.message.Uuids;
import io.juggler.testing.Deployments;
import io.juggler.testing.redis.RedisProcess;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/** A callee-only instance: no websocket endpoint, but calls queued in Redis are served. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RolesIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(REDIS, Map.of("juggler.server.enabled", "false"));
  }

  @Test
  void websocketEndpointIsNotDeployed() {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .subprotocols("juggler.0")
                    .buildAsync(Deployments.ws(base), new java.net.http.WebSocket.Listener() {})
                    .orTimeout(10, TimeUnit.SECONDS)
                    .join());
    WebSocketHandshakeException h = (WebSocketHandshakeException) e.getCause();
    assertEquals(404, h.getResponse().statusCode());
  }

  @Test
  void callsQueuedInRedisAreServed() {
    try (Jedis redis = REDIS.jedis()) {
      String conn = Uuids.random();
      String msg = Uuids.random();
      redis.set("juggler:calls:timeout:{test.delay}:" + msg, "5000", new SetParams().px(5000));
      redis.lpush(
          "juggler:calls:{test.delay}",
          "{\"conn_uuid\":\""
              + conn
              + "\",\"msg_uuid\":\""
              + msg
              + "\",\"uri\":\"test.delay\",\"args\":\"10\"}");
      List<String> result = redis.brpop(10, "juggler:results:{" + conn + "}");
      assertNotNull(result, "no result");
      assertEquals(
          10,
          jakarta.json.Json.createReader(new java.io.StringReader(result.get(1)))
              .readObject()
              .getInt("args"));
    }
  }

  @Test
  void consoleIsAbsentWithoutAPassword() throws Exception {
    // the login redirect may come first; wherever it leads, there is no console
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    for (String page : List.of("admin/", "admin/login", "admin/index.xhtml")) {
      int status =
          http.send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + page)).build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding())
              .statusCode();
      assertEquals(404, status, page);
    }
  }

  @Test
  void calleeOnlyInstancePublishesItsUrisToTheRegistry() {
    try (Jedis redis = REDIS.jedis()) {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .until(
              () ->
                  redis.zrange("juggler:registry:{juggler.registry}:instances", 0, -1).stream()
                      .map(id -> redis.get("juggler:registry:{juggler.registry}:instance:" + id))
                      .anyMatch(
                          json ->
                              json != null
                                  && json.contains("\"server\":false")
                                  && json.contains("\"uri\":\"test.delay\"")));
    }
  }
}
