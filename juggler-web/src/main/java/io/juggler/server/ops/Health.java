package io.juggler.server.ops;

import io.juggler.broker.BrokerAdmin;
import io.juggler.server.JugglerServer;
import io.juggler.server.StatePublisher;
import io.juggler.server.tyrus.ParkedUpgrades;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: every Redis answers PING and, on a server instance, the pub-sub connection is up and
 * the result pumps run. Liveness: the server's pumps have not died (a Redis outage alone does not
 * make the instance dead: it recovers by itself), and no HTTP worker is parked for good in the
 * websocket upgrade (see {@link ParkedUpgrades}: such workers never come back).
 *
 * <p>Every data value is a string: Payara writes any value with {@code toString()} as a JSON
 * string, Open Liberty writes numbers as numbers, so numbers given as strings read the same on
 * both.
 */
@ApplicationScoped
public class Health {

  @Inject BrokerAdmin broker;

  @Inject JugglerServer server;

  @Inject StatePublisher publisher;

  @Produces
  @Readiness
  HealthCheck ready() {
    return () -> {
      HealthCheckResponseBuilder b = HealthCheckResponse.named("juggler-redis");
      boolean up = true;
      try {
        broker.ping();
        b.withData("redis", "reachable");
      } catch (RuntimeException e) {
        up = false;
        b.withData("redis", "unreachable");
      }
      if (server.isEnabled()) {
        boolean pumps = server.isHealthy();
        b.withData("server", pumps ? "pumps running" : "pumps waiting for Redis");
        up &= pumps;
      }
      return b.status(up).build();
    };
  }

  @Produces
  @Liveness
  HealthCheck live() {
    return () -> {
      int parked = ParkedUpgrades.count();
      return HealthCheckResponse.named("juggler-pumps")
          .status(
              (!server.isEnabled() || server.pumpsAlive()) && publisher.isAlive() && parked == 0)
          .withData("registry-publisher", publisher.isAlive() ? "running" : "stopped")
          .withData("upgrade-parked-threads", Integer.toString(parked))
          .build();
    };
  }
}
