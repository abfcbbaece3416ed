package io.juggler.broker.redis;

import io.juggler.registry.AuditLog;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;

/**
 * The audit log in Redis: two lists of {@link AuditLog.Entry} JSON, newest first, at most {@link
 * #KEPT} entries each, {@code juggler:registry:{juggler.registry}:audit} for console actions and
 * sign-ins and {@code ...:audit:refused} for refused logins. Thread-safe.
 */
public final class RedisAuditLog implements AuditLog {

  private final RedisClients redis;

  public RedisAuditLog(RedisClients redis) {
    this.redis = redis;
  }

  @Override
  public void audit(Entry entry) {
    push(RedisKeys.REGISTRY_AUDIT, entry);
  }

  @Override
  public void auditRefusal(Entry entry) {
    push(RedisKeys.REGISTRY_AUDIT_REFUSED, entry);
  }

  private void push(String list, Entry entry) {
    String json = RegistryLists.JSON.toJson(entry);
    redis.run(
        () -> {
          try (AbstractPipeline p = redis.commands().pipelined()) {
            RegistryLists.push(p, list, KEPT, json);
            p.sync();
            return null;
          }
        });
  }

  @Override
  public List<Entry> recentAudit(int max) {
    return RegistryLists.read(redis, RedisKeys.REGISTRY_AUDIT, max, Entry.class);
  }

  @Override
  public List<Entry> recentRefusals(int max) {
    return RegistryLists.read(redis, RedisKeys.REGISTRY_AUDIT_REFUSED, max, Entry.class);
  }
}
