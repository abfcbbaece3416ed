package io.juggler.callee;

import io.juggler.config.JugglerConfig;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the callee role, {@code juggler-callee}: UP when the role is off, or when its
 * workers run. Reports {@code workers} (running) and {@code uris} (served), as strings: Payara
 * writes every data value as a JSON string, so Open Liberty is given strings too.
 */
@ApplicationScoped
public class CalleeHealth {

  @Inject CalleeRuntime callee;

  @Inject JugglerConfig config;

  @Produces
  @Readiness
  HealthCheck ready() {
    return () -> {
      int workers;
      int uris;
      boolean serving;
      try {
        workers = callee.runningWorkers();
        uris = callee.uriStats().size();
        serving = callee.serving();
      } catch (EJBException e) {
        // asked while the container still initialises the runtime (a readiness poll during
        // deployment): not ready yet, which is no reason for a warning with a stack trace
        return HealthCheckResponse.named("juggler-callee")
            .down()
            .withData("workers", "starting")
            .build();
      }
      boolean up = !config.calleeEnabled() || !serving || workers > 0;
      return HealthCheckResponse.named("juggler-callee")
          .status(up)
          .withData("workers", Integer.toString(workers))
          .withData("uris", Integer.toString(uris))
          .build();
    };
  }
}
