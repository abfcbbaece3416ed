package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.juggler.testing.Deployments;
import io.juggler.testing.redis.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.ShouldThrowException;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link BadConfigIT} on Open Liberty and Payara Server (profiles {@code liberty-it} and {@code
 * payara-server-it} run this one instead): their adapters, unlike Payara Micro's, report the failed
 * deployment, so it is expected here; then nothing is served and the server's log names the bad
 * key. The profile names the log ({@code juggler.it.serverLog}) and the HTTP port ({@code
 * juggler.it.httpPort}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BadConfigReportedIT {

  @AutoClose static final RedisProcess REDIS = RedisProcess.start();

  @Deployment(testable = false)
  @ShouldThrowException(Exception.class) // the adapter hands over the server's own exception
  static WebArchive deployment() {
    return Deployments.war(REDIS, Map.of("juggler.server.read-limit", "lots"));
  }

  @Test
  void badValueStopsTheDeploymentAndTheLogNamesTheKey() throws Exception {
    Path log = Path.of(System.getProperty("juggler.it.serverLog"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Files.readString(log)
                    .contains("invalid value for juggler.server.read-limit: 'lots'"));
    URI base = URI.create("http://localhost:" + System.getProperty("juggler.it.httpPort") + "/");
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .subprotocols("juggler.0")
                    .buildAsync(
                        Deployments.ws(base.resolve("/juggler-web/").toURL()),
                        new WebSocket.Listener() {})
                    .orTimeout(10, TimeUnit.SECONDS)
                    .join());
    assertEquals(404, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, metrics.statusCode());
    assertFalse(metrics.body().contains("juggler_"), "application metrics present");
  }
}
