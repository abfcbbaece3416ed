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
 * workers run. Reports {@code workers} (running) and {@code uris} (served), as strings: Payara
 * writes every data value as a JSON string, so Open Liberty is given strings too.
 */
@ApplicationScoped
public class CalleeHealth {

  @Inject JugglerConfig config;

  /** The runtime once its start is done; {@code null} while the application deploys. */
  private volatile CalleeRuntime started;

  /**
   * Called by {@link CalleeRuntime} at the end of its start. Until then the check answers DOWN
   * ("starting") without asking the runtime: a readiness poll during deployment that went through
   * the EJB container found it initialising, and the container logged that as a warning with a
   * stack trace (seen in the launcher's output). After it, the check reads the runtime's own
   * instance, whose status methods need no container (bean-managed concurrency).
   */
  public void started(CalleeRuntime runtime) {
    this.started = runtime;
  }

  @Produces
  @Readiness
  HealthCheck ready() {
    return () -> {
      CalleeRuntime callee = started;
      if (callee == null) {
        return HealthCheckResponse.named("juggler-callee")
            .down()
            .withData("workers", "starting")
            .build();
      }
      int workers = callee.runningWorkers();
      boolean up = !config.callee().enabled() || !callee.serving() || workers > 0;
      return HealthCheckResponse.named("juggler-callee")
          .status(up)
          .withData("workers", Integer.toString(workers))
          .withData("uris", Integer.toString(callee.uriStats().size()))
          .build();
    };
  }
}
