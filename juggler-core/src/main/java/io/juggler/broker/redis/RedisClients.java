package io.juggler.broker.redis;

import io.juggler.broker.BrokerException;
import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.BrokerUnavailableException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The Redis clients of one application, shared by the broker ({@link RedisBroker}, {@link
 * RedisQueues}) and the registry ({@link RedisInstances}, {@link RedisControl}, {@link
 * RedisExpiredRecord}, {@link RedisAuditLog}), and the one place where Jedis failures become broker
 * exceptions ({@link #run}).
 *
 * <ul>
 *   <li>{@link #commands()}: pooled connections for short commands (scripts, PUBLISH, the
 *       registry's reads and writes), at most {@code juggler.redis.pool-size}.
 *   <li>{@link #blocking()}: connections for blocking pops, whose socket timeout outlasts the
 *       longest pop ({@link RedisSettings#blockingSocketTimeout()}). Not capped by a pool size:
 *       only the application's own threads that block borrow them (result pumps, callee workers,
 *       the registry's control-list wait), so their number is bounded by those threads, and a
 *       blocked pop never starves a short command.
 *   <li>{@link #pubsub()}: the pub-sub Redis when configured separately, else {@link #commands()}.
 * </ul>
 *
 * Owns its clients: {@link #close()} closes them. Thread-safe.
 */
public final class RedisClients implements AutoCloseable {

  private final RedisSettings settings;
  private final BrokerMetrics metrics;
  private final UnifiedJedis commands;
  private final UnifiedJedis blocking;
  private final UnifiedJedis pubsub;

  public RedisClients(RedisSettings settings, BrokerMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    this.commands =
        client(
            settings.rpc(),
            settings.cluster(),
            clientConfig(settings.rpc().get(0), settings.timeout(), Duration.ZERO),
            settings.poolSize());
    this.blocking =
        client(
            settings.rpc(),
            settings.cluster(),
            clientConfig(
                settings.rpc().get(0), settings.timeout(), settings.blockingSocketTimeout()),
            -1);
    this.pubsub =
        settings.separatePubSub()
            ? client(
                settings.pubsub(), settings.pubsubCluster(), pubsubConfig(), settings.poolSize())
            : commands;
  }

  public RedisSettings settings() {
    return settings;
  }

  BrokerMetrics metrics() {
    return metrics;
  }

  UnifiedJedis commands() {
    return commands;
  }

  UnifiedJedis blocking() {
    return blocking;
  }

  UnifiedJedis pubsub() {
    return pubsub;
  }

  /** How the subscription connection reaches the pub-sub Redis. */
  JedisClientConfig pubsubConfig() {
    return clientConfig(settings.pubsub().get(0), settings.timeout(), Duration.ZERO);
  }

  /** The pub-sub Redis nodes (one, or a cluster's seeds). */
  List<HostAndPort> pubsubNodes() {
    return settings.pubsub().stream().map(JedisURIHelper::getHostAndPort).toList();
  }

  /** Checks that every Redis answers PING; throws {@link BrokerUnavailableException} if not. */
  public void ping() {
    run(commands::ping);
    if (pubsub != commands) {
      run(pubsub::ping);
    }
  }

  /**
   * Runs a Redis operation and translates Jedis failures into broker exceptions: unreachable, timed
   * out, connection lost or pool exhausted into {@link BrokerUnavailableException}, an error reply
   * into {@link BrokerException}. Every failure is counted.
   */
  <T> T run(Supplier<T> op) {
    try {
      return op.get();
    } catch (JedisConnectionException | JedisClusterOperationException e) {
      metrics.redisError();
      throw new BrokerUnavailableException(messageOf(e), e);
    } catch (JedisDataException e) {
      metrics.redisError();
      if (isTransient(e.getMessage())) {
        throw new BrokerUnavailableException("redis unavailable: " + e.getMessage(), e);
      }
      throw new BrokerException(e.getMessage(), e);
    } catch (JedisException e) {
      metrics.redisError();
      // pool exhausted and similar: the broker cannot serve right now
      throw new BrokerUnavailableException(messageOf(e), e);
    }
  }

  /**
   * Error replies that say Redis cannot serve for a moment rather than that the command is wrong: a
   * restarted Redis loading its data ({@code LOADING}), a cluster without a master for a slot
   * during a failover ({@code CLUSTERDOWN}, {@code TRYAGAIN}, {@code MASTERDOWN}), a former master
   * turned replica ({@code READONLY}), a script running too long ({@code BUSY}). They count as
   * unavailability: NACK 503, and background loops retry (the fault suite saw NACK 500 {@code
   * LOADING} right after a restart with AOF).
   */
  static boolean isTransient(String message) {
    if (message == null) {
      return false;
    }
    for (String prefix : TRANSIENT) {
      if (message.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static final List<String> TRANSIENT =
      List.of("LOADING", "CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN", "READONLY", "BUSY ");

  private static String messageOf(Throwable e) {
    StringBuilder sb = new StringBuilder("redis unavailable: ").append(e.getMessage());
    Throwable c = e.getCause();
    if (c != null && c.getMessage() != null && !c.getMessage().equals(e.getMessage())) {
      sb.append(": ").append(c.getMessage());
    }
    return sb.toString();
  }

  @Override
  public void close() {
    commands.close();
    blocking.close();
    if (pubsub != commands) {
      pubsub.close();
    }
  }

  static JedisClientConfig clientConfig(URI url, Duration timeout, Duration blockingSocket) {
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .protocol(RedisProtocol.RESP2)
            .timeoutMillis((int) timeout.toMillis())
            .blockingSocketTimeoutMillis((int) blockingSocket.toMillis())
            .clientName("juggler-ee")
            .ssl(JedisURIHelper.isRedisSSLScheme(url));
    String password = JedisURIHelper.getPassword(url);
    if (password != null) {
      b.user(JedisURIHelper.getUser(url)).password(password);
    }
    if (JedisURIHelper.hasDbIndex(url)) {
      b.database(JedisURIHelper.getDBIndex(url));
    }
    return b.build();
  }

  /** A pooled client; {@code maxTotal} -1 = as many connections as borrowers. */
  private UnifiedJedis client(
      List<URI> nodes, boolean cluster, JedisClientConfig config, int maxTotal) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(maxTotal);
    pool.setMaxIdle(maxTotal < 0 ? Integer.MAX_VALUE : maxTotal);
    pool.setMinIdle(0);
    pool.setMaxWait(settings.timeout());
    // idle connections are checked every few seconds, so those broken by a Redis restart are
    // replaced soon after it comes back rather than failing the next command
    pool.setTestWhileIdle(true);
    pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(5));
    pool.setNumTestsPerEvictionRun(-1);
    if (cluster) {
      Set<HostAndPort> seeds =
          nodes.stream().map(JedisURIHelper::getHostAndPort).collect(Collectors.toSet());
      try {
        // After a failover the slot map must be right again within about a second: refresh the
        // topology every second, and give up on a command after one short-command timeout of
        // retries rather than Jedis's default (attempts x socket timeout: 20 s on the blocking
        // client), so that our own loops, which back off at most 500 ms, retry with a fresh map
        return RedisClusterClient.builder()
            .nodes(seeds)
            .clientConfig(config)
            .poolConfig(pool)
            .maxAttempts(5)
            .maxTotalRetriesDuration(settings.timeout())
            .topologyRefreshPeriod(Duration.ofSeconds(1))
            .build();
      } catch (JedisException e) {
        throw new BrokerUnavailableException(
            "redis cluster unavailable at " + seeds + ": " + e.getMessage(), e);
      }
    }
    return RedisClient.builder()
        .hostAndPort(JedisURIHelper.getHostAndPort(nodes.get(0)))
        .clientConfig(config)
        .poolConfig(pool)
        .build();
  }
}
