package io.juggler.config;

import io.juggler.ConfigurationException;
import io.juggler.broker.BrokerAdmin;
import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.CalleeBroker;
import io.juggler.broker.CallerBroker;
import io.juggler.broker.PubSubBroker;
import io.juggler.broker.SessionBroker;
import io.juggler.broker.redis.RedisAuditLog;
import io.juggler.broker.redis.RedisBroker;
import io.juggler.broker.redis.RedisClients;
import io.juggler.broker.redis.RedisControl;
import io.juggler.broker.redis.RedisExpiredRecord;
import io.juggler.broker.redis.RedisInstances;
import io.juggler.broker.redis.RedisQueues;
import io.juggler.broker.redis.RedisSessions;
import io.juggler.registry.AuditLog;
import io.juggler.registry.ExpiredRecord;
import io.juggler.registry.InstanceControl;
import io.juggler.registry.InstanceRegistry;
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
 * the broker in its roles ({@link CallerBroker}, {@link CalleeBroker}, {@link PubSubBroker}, {@link
 * BrokerAdmin}) and the cluster registry in its roles ({@link InstanceRegistry}, {@link
 * InstanceControl}, {@link ExpiredRecord}, {@link AuditLog}), produced for injection. Everything
 * else injects a role, never a Redis implementation. Closes the clients when the application stops.
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
  private RedisQueues queues;
  private RedisInstances instances;
  private RedisControl control;
  private RedisExpiredRecord expired;
  private RedisAuditLog audit;
  private RedisSessions sessions;

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
    queues = new RedisQueues(clients);
    instances = new RedisInstances(clients);
    control = new RedisControl(clients);
    expired = new RedisExpiredRecord(clients);
    audit = new RedisAuditLog(clients);
    sessions = new RedisSessions(clients, broker);
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
  public BrokerAdmin brokerAdmin() {
    return queues;
  }

  @Produces
  @Dependent
  public InstanceRegistry instances() {
    return instances;
  }

  @Produces
  @Dependent
  public InstanceControl control() {
    return control;
  }

  @Produces
  @Dependent
  public ExpiredRecord expired() {
    return expired;
  }

  @Produces
  @Dependent
  public AuditLog audit() {
    return audit;
  }

  @Produces
  @Dependent
  public SessionBroker sessions() {
    return sessions;
  }
}
