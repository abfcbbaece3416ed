package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.testing.redis.RedisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The EAR on Payara Server, as {@code ./run.sh --payara-server} runs it: the installation unpacked
 * by {@code dependency:unpack@payara-server} in {@code juggler-ear/target/payara-server/payara6}, a
 * domain made, configured and deployed to with asadmin by {@link PayaraServer} (here in {@code
 * target/payara-server-domains}, on free ports). Calls reach the callees of the EJB module, events
 * flow, the console's form login works with the password stored as a password alias, and closing
 * stops the domain. Next to it, behind nginx, a Payara Micro without callees: a client resumes its
 * session across the two runtimes, both ways, and gets the RES of the call it dropped ({@link
 * ResumeAcrossRuntimes}).
 *
 * <p>Needs that installation, so it runs only with {@code -Djuggler.ear.it=true}; {@code .ci/run}
 * unpacks it and runs this after the Arquillian suites.
 */
@EnabledIfSystemProperty(
    named = "juggler.ear.it",
    matches = "true",
    disabledReason =
        "needs ./mvnw -pl juggler-ear dependency:unpack@payara-server; .ci/run does it")
class EarOnPayaraServerIT {

  private static final Path PAYARA = Path.of("../juggler-ear/target/payara-server/payara6");
  private static final Path EAR = Path.of("../juggler-ear/target/juggler-ear.ear");
  private static final Path DOMAINS = Path.of("target/payara-server-domains");
  private static final Path MICRO = Path.of("target/ear-on-payara-server-micro").toAbsolutePath();
  private static final String PASSWORD = "ear-test-" + Long.toHexString(System.nanoTime());
  private static final String REDIS_PASSWORD = "redis-" + Long.toHexString(System.nanoTime());

  @Test
  void earServesCallsEventsAndTheConsole() throws Exception {
    deleteDomains();
    try (RedisProcess redis = RedisProcess.start("--requirepass", REDIS_PASSWORD)) {
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("juggler.redis.url", redis.url());
      settings.put("juggler.callee.demo.enabled", "true");
      settings.put("juggler.admin.password", PASSWORD);
      PayaraServer stopped;
      // started first: it gets ready while the domain is made, started and deployed to
      try (PayaraMicro micro = ResumeAcrossRuntimes.startPayaraMicro(redis.url(), MICRO);
          PayaraServer server =
              PayaraServer.start(
                  PAYARA,
                  DOMAINS,
                  ManyServersIT.freePort(),
                  ManyServersIT.freePort(),
                  settings,
                  EAR,
                  DOMAINS.resolve("asadmin.log"),
                  false)) {
        stopped = server;
        assertTrue(server.awaitReady(300), "not ready; see " + server.serverLog());
        EarChecks.callsEventsAndConsole(server, PASSWORD);
        ResumeAcrossRuntimes.resumeBothWays(server, "Payara Server", micro, MICRO);
        micro.close(); // what follows checks Payara Server alone
        // bound to loopback before the domain's start (PayaraServer.bindToLoopback)
        for (java.net.InetAddress address : nonLoopbackAddresses()) {
          try (var socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(address, server.port()), 2_000);
            throw new AssertionError("the HTTP listener answers on " + address);
          } catch (java.io.IOException expected) {
            // refused (or unroutable): not served there
          }
        }
        // the passwords are password aliases, not properties in domain.xml
        String domainXml =
            Files.readString(DOMAINS.resolve(PayaraServer.DOMAIN + "/config/domain.xml"));
        assertFalse(domainXml.contains(PASSWORD), "the console password is in domain.xml");
        assertFalse(domainXml.contains(REDIS_PASSWORD), "the Redis password is in domain.xml");
        assertTrue(
            domainXml.contains("juggler.callee.demo.enabled"),
            "set-config-property not in domain.xml");
        // hardening item 6: neither password shows anywhere (server.log, asadmin's output)
        SecretChecks.secretsStaySecret(
            server,
            redis,
            REDIS_PASSWORD,
            PASSWORD,
            List.of(server.serverLog(), DOMAINS.resolve("asadmin.log")));
      }
      assertFalse(stopped.isAlive(), "the domain still runs after close()");
    }
  }

  private static void deleteDomains() throws Exception {
    if (Files.exists(DOMAINS)) {
      try (Stream<Path> files = Files.walk(DOMAINS)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  private static List<java.net.InetAddress> nonLoopbackAddresses() throws Exception {
    return java.net.NetworkInterface.networkInterfaces()
        .flatMap(java.net.NetworkInterface::inetAddresses)
        .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
        .toList();
  }
}
