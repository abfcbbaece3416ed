package io.juggler.broker.redis;

import io.juggler.registry.ExpiredCall;
import io.juggler.registry.ExpiredRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;

/**
 * The expired-call record in Redis: a hash of counts by stage ({@code
 * juggler:registry:{juggler.registry}:expired}) and a list of {@link ExpiredCall} JSON, newest
 * first, at most {@link #RECENT_EXPIRED} entries ({@code ...:expired:recent}); both outlive their
 * last write by a week. Thread-safe.
 */
public final class RedisExpiredRecord implements ExpiredRecord {

  private final RedisClients redis;

  public RedisExpiredRecord(RedisClients redis) {
    this.redis = redis;
  }

  /** In one round trip. */
  @Override
  public void recordExpired(Map<String, Long> byStage, List<ExpiredCall> recent) {
    if (byStage.isEmpty() && recent.isEmpty()) {
      return;
    }
    List<ExpiredCall> tail =
        recent.size() > RECENT_EXPIRED
            ? recent.subList(recent.size() - RECENT_EXPIRED, recent.size())
            : recent;
    String[] json = tail.stream().map(RegistryLists.JSON::toJson).toArray(String[]::new);
    redis.run(
        () -> {
          try (AbstractPipeline p = redis.commands().pipelined()) {
            byStage.forEach((stage, n) -> p.hincrBy(RedisKeys.REGISTRY_EXPIRED, stage, n));
            if (!byStage.isEmpty()) {
              p.pexpire(RedisKeys.REGISTRY_EXPIRED, RegistryLists.HISTORY_KEPT.toMillis());
            }
            if (json.length > 0) {
              RegistryLists.push(p, RedisKeys.REGISTRY_EXPIRED_RECENT, RECENT_EXPIRED, json);
            }
            p.sync();
            return null;
          }
        });
  }

  @Override
  public Map<String, Long> expiredCounts() {
    Map<String, String> raw = redis.run(() -> redis.commands().hgetAll(RedisKeys.REGISTRY_EXPIRED));
    Map<String, Long> out = new LinkedHashMap<>();
    for (String stage : ExpiredCall.Stage.ALL) {
      out.put(stage, Long.parseLong(raw.getOrDefault(stage, "0")));
    }
    return out;
  }

  @Override
  public List<ExpiredCall> recentExpired(int max) {
    return RegistryLists.read(redis, RedisKeys.REGISTRY_EXPIRED_RECENT, max, ExpiredCall.class);
  }
}
