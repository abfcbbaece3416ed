package io.juggler.broker.redis;

import io.juggler.registry.InstanceRegistry;
import io.juggler.registry.InstanceState;
import io.juggler.registry.RegisteredInstance;
import jakarta.json.bind.JsonbException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * The instance registry in Redis (keys outside the compatibility layout of spec section 6; the hash
 * tag {@code {juggler.registry}} keeps all registry keys on one Redis Cluster slot so multi-key
 * commands work):
 *
 * <ul>
 *   <li>{@code juggler:registry:{juggler.registry}:instances}: sorted set, instance id scored by
 *       the epoch milliseconds of its last publication (pruned after a minute of silence)
 *   <li>{@code juggler:registry:{juggler.registry}:instance:<id>}: string, the instance's {@link
 *       InstanceState} as JSON, expiring after {@link #TTL_INTERVALS} publication intervals; read
 *       with its PTTL, which tells a reader how long ago it was written ({@link #instances})
 *   <li>{@code juggler:registry:{juggler.registry}:watch:connections} and {@code
 *       ...:watch:subscriptions}: set with a short TTL while a console shows those details
 * </ul>
 *
 * Thread-safe.
 */
public final class RedisInstances implements InstanceRegistry {

  private static final Logger LOG = Logger.getLogger(RedisInstances.class.getName());

  private static final String INSTANCES = RedisKeys.REGISTRY_INSTANCES;
  private static final String WATCH_CONNECTIONS = RedisKeys.REGISTRY_WATCH_CONNECTIONS;
  private static final String WATCH_SUBSCRIPTIONS = RedisKeys.REGISTRY_WATCH_SUBSCRIPTIONS;
  private static final RedisScript STATES = RedisScript.load("states.lua");

  /** How long an instance stays in the index without publishing (its state is long gone). */
  static final long INSTANCES_KEPT_MILLIS = 60_000;

  private final RedisClients redis;

  public RedisInstances(RedisClients redis) {
    this.redis = redis;
  }

  @Override
  public Watched publish(InstanceState state) {
    if (state.intervalMillis() <= 0) {
      throw new IllegalArgumentException("state without an interval: " + state.intervalMillis());
    }
    long ttl = TTL_INTERVALS * state.intervalMillis();
    String json = RegistryLists.JSON.toJson(state);
    long now = System.currentTimeMillis();
    return redis.run(
        () -> {
          try (AbstractPipeline p = redis.commands().pipelined()) {
            p.set(RedisKeys.registryInstance(state.id()), json, SetParams.setParams().px(ttl));
            p.zadd(INSTANCES, now, state.id());
            p.zremrangeByScore(INSTANCES, Double.NEGATIVE_INFINITY, now - INSTANCES_KEPT_MILLIS);
            p.pexpire(INSTANCES, ttl); // lives as long as the newest state
            Response<Boolean> connections = p.exists(WATCH_CONNECTIONS);
            Response<Boolean> subscriptions = p.exists(WATCH_SUBSCRIPTIONS);
            p.sync();
            return new Watched(connections.get(), subscriptions.get());
          }
        });
  }

  /** Also drops the commands waiting for it ({@link RedisControl}). */
  @Override
  public void forget(String id) {
    redis.run(
        () -> {
          redis.commands().del(RedisKeys.registryInstance(id), RedisKeys.registryControl(id));
          redis.commands().zrem(INSTANCES, id);
          return null;
        });
  }

  /**
   * Two round trips however many instances: the index, then every state with its PTTL in one script
   * (states.lua; the keys share the registry's hash tag, so this works on a Redis Cluster too).
   */
  @Override
  public List<RegisteredInstance> instances() {
    List<String> ids = redis.run(() -> redis.commands().zrange(INSTANCES, 0, -1));
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> keys = ids.stream().map(RedisKeys::registryInstance).toList();
    Object r = redis.run(() -> STATES.eval(redis.commands(), keys, List.of()));
    long readAt = System.currentTimeMillis();
    List<RegisteredInstance> out = new ArrayList<>();
    if (r instanceof List<?> flat) {
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        if (!(flat.get(i) instanceof String json) || !(flat.get(i + 1) instanceof Long pttl)) {
          continue; // expired: the instance stopped publishing
        }
        try {
          out.add(registered(RegistryLists.JSON.fromJson(json, InstanceState.class), pttl, readAt));
        } catch (JsonbException e) {
          LOG.log(Level.FINE, "unreadable instance state skipped: {0}", e.toString());
        }
      }
    }
    out.sort(Comparator.comparing(RegisteredInstance::id));
    return out;
  }

  /** The state with its age and silence, from its PTTL when read. */
  static RegisteredInstance registered(InstanceState state, long pttl, long readAt) {
    long interval = state.intervalMillis();
    if (interval <= 0 || pttl < 0) {
      return new RegisteredInstance(state, -1, readAt, false); // not ours to judge
    }
    long since = Math.max(0, TTL_INTERVALS * interval - pttl);
    boolean silent = since > InstanceRegistry.silentAfter(Duration.ofMillis(interval)).toMillis();
    return new RegisteredInstance(state, since, readAt, silent);
  }

  @Override
  public boolean watchConnections(Duration duration) {
    return watch(WATCH_CONNECTIONS, duration);
  }

  @Override
  public boolean watchSubscriptions(Duration duration) {
    return watch(WATCH_SUBSCRIPTIONS, duration);
  }

  private boolean watch(String key, Duration duration) {
    return redis.run(
        () -> {
          try (AbstractPipeline p = redis.commands().pipelined()) {
            Response<Boolean> existed = p.exists(key);
            p.set(key, "1", SetParams.setParams().px(duration.toMillis()));
            p.sync();
            return !existed.get();
          }
        });
  }

  @Override
  public Watched watched() {
    return redis.run(
        () -> {
          try (AbstractPipeline p = redis.commands().pipelined()) {
            Response<Boolean> connections = p.exists(WATCH_CONNECTIONS);
            Response<Boolean> subscriptions = p.exists(WATCH_SUBSCRIPTIONS);
            p.sync();
            return new Watched(connections.get(), subscriptions.get());
          }
        });
  }
}
