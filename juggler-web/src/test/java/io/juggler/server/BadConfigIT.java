package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.juggler.testing.Deployments;
import io.juggler.testing.redis.RedisProcess;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
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

/**
 * A bad setting stops the deployment: nothing is served. (The Payara Micro adapter does not report
 * failed deployments, so this looks at what is served; that the message names the key is checked by
 * {@code JugglerConfigTest}.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BadConfigIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.war(REDIS, Map.of("juggler.server.read-limit", "lots"));
  }

  @Test
  void badValueStopsTheDeployment() throws Exception {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .subprotocols("juggler.0")
                    .buildAsync(Deployments.ws(base), new WebSocket.Listener() {})
                    .orTimeout(10, TimeUnit.SECONDS)
                    .join());
    assertEquals(404, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    // the server itself is up and answering, only the application is missing
    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(Deployments.http(base).resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, metrics.statusCode());
    assertFalse(metrics.body().contains("juggler_"), "application metrics present");
  }
}
