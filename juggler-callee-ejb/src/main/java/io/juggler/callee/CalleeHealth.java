package io.juggler.callee;

import io.juggler.config.JugglerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the callee role, {@code juggler-callee}: UP when the role is off, or when its
 * workers run. Reports {@code workers} (running) and {@code uris} (served), as numbers.
 */
@ApplicationScoped
public class CalleeHealth {

  @Inject CalleeRuntime callee;

  @Inject JugglerConfig config;

  @Produces
  @Readiness
  HealthCheck ready() {
    return () -> {
      int workers = callee.runningWorkers();
      int uris = callee.uriStats().size();
      boolean up = !config.calleeEnabled() || !callee.serving() || workers > 0;
      return HealthCheckResponse.named("juggler-callee")
          .status(up)
          .withData("workers", workers)
          .withData("uris", uris)
          .build();
    };
  }
}
