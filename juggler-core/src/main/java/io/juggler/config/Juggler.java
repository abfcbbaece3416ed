package io.juggler.config;

import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.CalleeBroker;
import io.juggler.broker.CallerBroker;
import io.juggler.broker.PubSubBroker;
import io.juggler.broker.redis.RedisBroker;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Reads and validates the configuration once per application, builds the Redis broker from it and
 * produces both for injection. Disposes of the broker when the application stops.
 *
 * <p>Producers are {@code @Dependent} methods returning the instances held by this
 * application-scoped bean, so no client proxies of the broker are made.
 */
@ApplicationScoped
public class Juggler {

  private static final Logger LOG = Logger.getLogger(Juggler.class.getName());

  @Inject Config mpConfig;

  @Inject Instance<BrokerMetrics> metrics;

  private JugglerConfig config;
  private RedisBroker broker;

  @PostConstruct
  void start() {
    Function<String, Optional<String>> source = key -> mpConfig.getOptionalValue(key, String.class);
    try {
      config = JugglerConfig.from(source);
    } catch (ConfigurationException e) {
      // containers wrap this in their own deployment errors; say it plainly once
      LOG.log(Level.SEVERE, "Juggler EE cannot start: {0}", e.getMessage());
      throw e;
    }
    LOG.log(Level.INFO, "Juggler EE configuration:{0}", config.describe(source));
    BrokerMetrics m = metrics.isResolvable() ? metrics.get() : BrokerMetrics.NONE;
    broker = new RedisBroker(config.redisSettings(), m);
    try {
      broker.ping();
      LOG.log(Level.INFO, "Redis reachable at {0}", config.redisUrls());
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Redis not reachable at {0} ({1}={2}); requests get NACK until it is: {3}",
          new Object[] {
            config.redisUrls(), JugglerConfig.REDIS_URL, config.redisUrls(), e.getMessage()
          });
    }
  }

  @PreDestroy
  void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  @Produces
  @Dependent
  public JugglerConfig config() {
    return config;
  }

  @Produces
  @Dependent
  @Typed({RedisBroker.class, CallerBroker.class, CalleeBroker.class, PubSubBroker.class})
  public RedisBroker broker() {
    return broker;
  }
}
