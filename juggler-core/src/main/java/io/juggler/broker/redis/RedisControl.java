package io.juggler.broker.redis;

import io.juggler.registry.InstanceControl;
import jakarta.json.bind.JsonbException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.util.KeyValue;

/**
 * Instance control in Redis: per instance a list of {@link Command} JSON, {@code
 * juggler:registry:{juggler.registry}:control:<id>}, which the instance pops with a blocking pop. A
 * list rather than a pub-sub channel: websocket clients may PUB and SUB on any channel, but cannot
 * write keys. A command for an instance that died is kept a minute at most. Thread-safe.
 */
public final class RedisControl implements InstanceControl {

  private static final Logger LOG = Logger.getLogger(RedisControl.class.getName());

  /** How long commands wait for an instance that does not take them. */
  static final long KEPT_MILLIS = 60_000;

  private final RedisClients redis;

  public RedisControl(RedisClients redis) {
    this.redis = redis;
  }

  @Override
  public void requestDisconnect(String instance, String connection, String by) {
    String json = RegistryLists.JSON.toJson(new Command(Command.DISCONNECT, connection, by));
    redis.run(
        () -> {
          try (AbstractPipeline p = redis.commands().pipelined()) {
            send(p, instance, json);
            p.sync();
            return null;
          }
        });
  }

  /** Asks the instances of the registry's index ({@link RedisInstances}). */
  @Override
  public List<String> requestPublication(String by) {
    String json = RegistryLists.JSON.toJson(new Command(Command.PUBLISH, null, by));
    return redis.run(
        () -> {
          List<String> ids = redis.commands().zrange(RedisKeys.REGISTRY_INSTANCES, 0, -1);
          if (ids.isEmpty()) {
            return ids;
          }
          try (AbstractPipeline p = redis.commands().pipelined()) {
            for (String id : ids) {
              send(p, id, json);
            }
            p.sync();
          }
          return ids;
        });
  }

  private static void send(AbstractPipeline p, String instance, String json) {
    String key = RedisKeys.registryControl(instance);
    p.lpush(key, json);
    p.pexpire(key, KEPT_MILLIS);
  }

  @Override
  public Optional<Command> awaitCommand(String instance, Duration timeout) {
    double seconds = Math.max(0.001, timeout.toMillis() / 1000.0);
    KeyValue<String, String> popped =
        redis.run(() -> redis.blocking().brpop(seconds, RedisKeys.registryControl(instance)));
    if (popped == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(RegistryLists.JSON.fromJson(popped.getValue(), Command.class));
    } catch (JsonbException e) {
      LOG.log(Level.WARNING, "unreadable control command dropped: {0}", popped.getValue());
      return Optional.empty();
    }
  }
}
