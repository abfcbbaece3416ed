package io.juggler.config;

import io.juggler.ConfigurationException;
import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.CalleeBroker;
import io.juggler.broker.CallerBroker;
import io.juggler.broker.PubSubBroker;
import io.juggler.broker.redis.RedisBroker;
import io.juggler.broker.redis.RedisClients;
import io.juggler.broker.redis.RedisRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The application's resources, made once: the validated configuration, the shared Redis clients,
 * the broker in its three roles and the cluster registry, produced for injection. Everything else
 * injects a role ({@link CallerBroker}, {@link CalleeBroker}, {@link PubSubBroker}) or the
 * registry, never the Redis implementation. Closes the clients when the application stops.
 *
 * <p>Producers are {@code @Dependent} methods returning the instances held by this
 * application-scoped bean, so no client proxies are made.
 */
@ApplicationScoped
public class Juggler {

  private static final Logger LOG = Logger.getLogger(Juggler.class.getName());

  @Inject Instance<BrokerMetrics> metrics;

  private JugglerConfig config;
  private RedisClients clients;
  private RedisBroker broker;
  private RedisRegistry registry;

  @PostConstruct
  void start() {
    Config mp = ConfigProvider.getConfig();
    try {
      config = JugglerConfig.of(mp);
    } catch (ConfigurationException e) {
      // containers wrap this in their own deployment errors; say it plainly once
      LOG.log(Level.SEVERE, "Juggler EE cannot start: {0}", e.getMessage());
      throw e;
    }
    LOG.log(Level.INFO, "Juggler EE configuration:{0}", config.describe(JugglerConfig.source(mp)));
    BrokerMetrics m = metrics.isResolvable() ? metrics.get() : BrokerMetrics.NONE;
    clients = new RedisClients(config.redisSettings(), m);
    broker = new RedisBroker(clients);
    registry = new RedisRegistry(clients);
    try {
      clients.ping();
      LOG.log(Level.INFO, "Redis reachable at {0}", config.describeRedis());
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "Redis not reachable at {0} ({1}); requests get NACK until it is: {2}",
          new Object[] {config.describeRedis(), JugglerConfig.REDIS_URL, e.getMessage()});
    }
  }

  @PreDestroy
  void stop() {
    if (clients != null) {
      clients.close();
    }
  }

  @Produces
  @Dependent
  public JugglerConfig config() {
    return config;
  }

  @Produces
  @Dependent
  @Typed({CallerBroker.class, CalleeBroker.class, PubSubBroker.class})
  public RedisBroker broker() {
    return broker;
  }

  @Produces
  @Dependent
  public RedisRegistry registry() {
    return registry;
  }
}
