package io.juggler.broker.redis;

import io.juggler.broker.BrokerAdmin;
import io.juggler.broker.QueueInfo;
import io.juggler.broker.QueueScan;
import io.juggler.message.CallPayload;
import io.juggler.message.InvalidPayloadException;
import io.juggler.message.JsonCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.ScanIteration;

/**
 * The call and results lists as an operator sees them (spec section 6 layout): found with a bounded
 * SCAN, never {@code KEYS}, and emptied on request (purge.lua). Thread-safe.
 */
public final class RedisQueues implements BrokerAdmin {

  private static final RedisScript PURGE = RedisScript.load("purge.lua");

  private final RedisClients redis;

  public RedisQueues(RedisClients redis) {
    this.redis = redis;
  }

  @Override
  public void ping() {
    redis.ping();
  }

  /** SCAN with MATCH {@code juggler:*}, TYPE list and COUNT {@code count}. */
  @Override
  public QueueScan queues(int count, int maxRounds) {
    List<String> lists = new ArrayList<>();
    ScanIteration it = redis.commands().scanIteration(count, RedisKeys.ALL, "list");
    int rounds = 0;
    do {
      Collection<String> batch = redis.run(it::nextBatchList);
      rounds++;
      for (String k : batch) {
        if (RedisKeys.isCallList(k) || RedisKeys.isResultsList(k)) {
          lists.add(k);
        }
      }
    } while (!it.isIterationCompleted() && rounds < maxRounds);
    List<QueueInfo> out = new ArrayList<>();
    for (int from = 0; from < lists.size(); from += 500) {
      out.addAll(describe(lists.subList(from, Math.min(lists.size(), from + 500))));
    }
    out.sort(
        Comparator.comparing(QueueInfo::kind)
            .thenComparing(Comparator.comparingLong(QueueInfo::depth).reversed())
            .thenComparing(QueueInfo::name));
    return new QueueScan(out, it.isIterationCompleted(), rounds);
  }

  private List<QueueInfo> describe(List<String> keys) {
    return redis.run(
        () -> {
          List<Response<Long>> depths = new ArrayList<>();
          List<Response<String>> oldest = new ArrayList<>();
          List<Response<String>> ttls = new ArrayList<>();
          List<Response<Long>> pttls = new ArrayList<>();
          try (AbstractPipeline p = redis.commands().pipelined()) {
            for (String k : keys) {
              depths.add(p.llen(k));
              oldest.add(p.lindex(k, -1));
            }
            p.sync();
            for (int i = 0; i < keys.size(); i++) {
              String expiryKey = expiryKeyOf(keys.get(i), oldest.get(i).get());
              ttls.add(expiryKey == null ? null : p.get(expiryKey));
              pttls.add(expiryKey == null ? null : p.pttl(expiryKey));
            }
            p.sync();
          }
          List<QueueInfo> out = new ArrayList<>();
          for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            long depth = depths.get(i).get();
            if (depth == 0) {
              continue; // popped since the scan saw it
            }
            boolean calls = RedisKeys.isCallList(k);
            long age = -1;
            if (ttls.get(i) != null) {
              String ttl = ttls.get(i).get();
              long pttl = pttls.get(i).get();
              if (ttl != null && pttl > 0) {
                try {
                  age = Math.max(0, Long.parseLong(ttl) - pttl);
                } catch (NumberFormatException e) {
                  age = -1;
                }
              }
            }
            out.add(
                new QueueInfo(
                    k,
                    calls ? QueueInfo.CALLS : QueueInfo.RESULTS,
                    RedisKeys.ownerOf(k),
                    depth,
                    age));
          }
          return out;
        });
  }

  /** The expiry key of an entry of a call or results list (spec 6.1), or null if unreadable. */
  private static String expiryKeyOf(String list, String payload) {
    if (payload == null) {
      return null;
    }
    try {
      CallPayload c = JsonCodec.decodeCallPayload(payload);
      return RedisKeys.isCallList(list)
          ? RedisKeys.callTimeout(c.uri(), c.msgUuid())
          : RedisKeys.resultTimeout(c.connUuid(), c.msgUuid());
    } catch (InvalidPayloadException e) {
      return null;
    }
  }

  @Override
  public long purge(String key) {
    if (!(RedisKeys.isCallList(key) || RedisKeys.isResultsList(key))) {
      throw new IllegalArgumentException("not a call or results list: " + key);
    }
    Object n = redis.run(() -> PURGE.eval(redis.commands(), List.of(key), List.of()));
    return n instanceof Long l ? l : 0;
  }
}
