package io.juggler.broker.redis;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.AbstractPipeline;

/**
 * What the registry's roles share: their JSON, and bounded lists of JSON entries, newest first,
 * that outlive their last write by {@link #HISTORY_KEPT}.
 */
final class RegistryLists {

  private static final Logger LOG = Logger.getLogger(RegistryLists.class.getName());

  static final Jsonb JSON = JsonbBuilder.create();

  /**
   * How long the cluster's history (expired-call counts, recent expired calls, the audit lists)
   * outlives its last write: a cluster whose every instance is gone leaves nothing in Redis after
   * this. Each write extends it.
   */
  static final Duration HISTORY_KEPT = Duration.ofDays(7);

  private RegistryLists() {}

  /**
   * Queues on {@code p} the pushing of {@code json} (oldest first, so the newest ends up at the
   * head) onto {@code list}, which keeps {@code kept} entries.
   */
  static void push(AbstractPipeline p, String list, int kept, String... json) {
    p.lpush(list, json);
    p.ltrim(list, 0, kept - 1);
    p.pexpire(list, HISTORY_KEPT.toMillis());
  }

  /**
   * The first {@code max} entries of {@code list} read as {@code type}; unreadable ones skipped.
   */
  static <T> List<T> read(RedisClients redis, String list, int max, Class<T> type) {
    List<String> raw = redis.run(() -> redis.commands().lrange(list, 0, max - 1L));
    List<T> out = new ArrayList<>();
    for (String s : raw) {
      try {
        out.add(JSON.fromJson(s, type));
      } catch (JsonbException e) {
        LOG.log(Level.FINE, "unreadable {0} skipped: {1}", new Object[] {type.getSimpleName(), e});
      }
    }
    return out;
  }
}
