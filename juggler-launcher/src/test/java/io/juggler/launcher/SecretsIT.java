package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.testing.redis.RedisProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hardening item 6 on Payara Micro, with Juggler EE's own loggers at FINEST (every level): the
 * Redis password in {@code juggler.redis.url} and the console password appear in no log line,
 * health, metrics, {@code /debug/vars}, NACK or console page ({@link SecretChecks}). The EAR tests
 * run the same checks on Open Liberty and Payara Server.
 */
class SecretsIT {

  private static final Path RUNTIME = Path.of("target/runtime");

  @Test
  void passwordsSurfaceNowhereAtAnyLogLevel() throws Exception {
    String redisPassword = "redis-secret-" + Long.toHexString(System.nanoTime());
    String adminPassword = "console-secret-" + Long.toHexString(System.nanoTime());
    try (RedisProcess redis = RedisProcess.start("--requirepass", redisPassword)) {
      Path work = Path.of("target/secrets").toAbsolutePath();
      Path log = work.resolve("server.log");
      Map<String, String> env =
          Map.of(
              "JUGGLER_REDIS_URL",
              redis.url(),
              "JUGGLER_ADMIN_PASSWORD",
              adminPassword,
              "JUGGLER_CALLEE_DEMO_ENABLED",
              "true",
              "JUGGLER_REGISTRY_INTERVAL",
              "500ms");
      try (PayaraMicro server =
          PayaraMicro.start(
              RUNTIME,
              work,
              ManyServersIT.freePort(),
              env,
              List.of("-Xmx512m"),
              log,
              Map.of("io.juggler", "FINEST", "redis.clients", "FINEST"))) {
        assertTrue(server.awaitReady(300), "not ready; see " + log);
        SecretChecks.secretsStaySecret(server, redis, redisPassword, adminPassword, List.of(log));
      }
    }
  }
}
