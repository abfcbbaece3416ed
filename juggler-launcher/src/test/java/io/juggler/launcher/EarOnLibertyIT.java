package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.testing.RedisProcess;
import java.nio.file.Path;
import java.util.Map;
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
        EarChecks.callsEventsAndConsole(server, PASSWORD);
      }
    }
  }
}
