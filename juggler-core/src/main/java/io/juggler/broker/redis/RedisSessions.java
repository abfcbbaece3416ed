package io.juggler.broker.redis;

import io.juggler.broker.SessionBroker;
import io.juggler.broker.TakenResult;
import io.juggler.message.CallPayload;
import io.juggler.message.InvalidPayloadException;
import io.juggler.message.JsonCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link SessionBroker} on the RPC Redis, with the scripts {@code session-*.lua}, {@code
 * shards.lua} and {@code adopt.lua} (each documents its keys). Every script touches the keys of one
 * hash tag only (a session's, or a shard's), so all of it works on a Redis Cluster; the shard set
 * is a single key.
 */
public final class RedisSessions implements SessionBroker {

  private static final Logger LOG = Logger.getLogger(RedisSessions.class.getName());

  private static final RedisScript BIND = RedisScript.load("session-bind.lua");
  private static final RedisScript ATTACH = RedisScript.load("session-attach.lua");
  private static final RedisScript DETACH = RedisScript.load("session-detach.lua");
  private static final RedisScript PARK = RedisScript.load("session-park.lua");
  private static final RedisScript FORWARD = RedisScript.load("session-forward.lua");
  private static final RedisScript DELIVERED = RedisScript.load("session-delivered.lua");
  private static final RedisScript SHARDS = RedisScript.load("shards.lua");
  private static final RedisScript ADOPT = RedisScript.load("adopt.lua");

  private final RedisClients redis;
  private final RedisBroker broker;

  public RedisSessions(RedisClients redis, RedisBroker broker) {
    this.redis = redis;
    this.broker = broker;
  }

  @Override
  public void create(
      String id, String secretHash, String identity, String owner, String shard, Duration window) {
    String key = RedisKeys.session(id);
    redis.run(
        () -> {
          redis
              .commands()
              .hset(
                  key,
                  Map.of("secret", secretHash, "who", identity, "owner", owner, "shards", shard));
          return redis.commands().pexpire(key, window.toMillis());
        });
  }

  @Override
  public Attach attach(
      String id,
      String secretHash,
      String identity,
      String owner,
      String shard,
      Duration window,
      int max) {
    Object r =
        redis.run(
            () ->
                ATTACH.eval(
                    redis.commands(),
                    List.of(
                        RedisKeys.session(id),
                        RedisKeys.sessionResults(id),
                        RedisKeys.sessionRecent(id)),
                    List.of(
                        secretHash,
                        identity,
                        owner,
                        Long.toString(window.toMillis()),
                        shard,
                        Integer.toString(max))));
    List<?> out = (List<?>) r;
    String status = (String) out.get(0);
    switch (status) {
      case "expired":
        return Attach.refused(Attach.Outcome.EXPIRED);
      case "invalid":
        return Attach.refused(Attach.Outcome.INVALID);
      case "foreign":
        return Attach.refused(Attach.Outcome.FOREIGN);
      default:
        break;
    }
    String previous = (String) out.get(1);
    long now = Long.parseLong((String) out.get(2));
    List<Parked> parked = new ArrayList<>();
    for (int i = 3; i < out.size(); i++) {
      String entry = (String) out.get(i);
      int bar = entry.indexOf('|');
      if (bar < 0) {
        continue;
      }
      long left = Long.parseLong(entry.substring(0, bar)) - now;
      if (left <= 0) {
        continue; // its call timed out while the client was away
      }
      try {
        parked.add(new Parked(JsonCodec.decodeCallPayload(entry.substring(bar + 1)), left));
      } catch (InvalidPayloadException e) {
        LOG.log(
            Level.FINE, "session {0}: dropped an invalid parked result: {1}", new Object[] {id, e});
      }
    }
    return new Attach(Attach.Outcome.RESUMED, previous, parked);
  }

  @Override
  public void detach(String id, String owner, Duration window) {
    redis.run(
        () ->
            DETACH.eval(
                redis.commands(),
                List.of(RedisKeys.session(id)),
                List.of(owner, Long.toString(window.toMillis()))));
  }

  @Override
  public void refresh(Collection<String> ids, Duration window) {
    for (String id : ids) {
      redis.run(() -> redis.commands().pexpire(RedisKeys.session(id), window.toMillis()));
    }
  }

  @Override
  public void bind(String shard, String callUuid, String id, String uri, long ttlMillis) {
    redis.run(
        () ->
            BIND.eval(
                redis.commands(),
                List.of(RedisKeys.sessionCalls(shard)),
                List.of(callUuid, id + " " + uri, Long.toString(Math.max(1, ttlMillis)))));
  }

  @Override
  public void unbind(String shard, String callUuid) {
    redis.run(() -> redis.commands().hdel(RedisKeys.sessionCalls(shard), callUuid));
  }

  @Override
  public Park park(String id, CallPayload result, long ttlMillis, int max, String goneOwner) {
    Object r =
        redis.run(
            () ->
                PARK.eval(
                    redis.commands(),
                    List.of(RedisKeys.session(id), RedisKeys.sessionResults(id)),
                    List.of(
                        JsonCodec.encodeCallPayload(result),
                        Long.toString(Math.max(1, ttlMillis)),
                        Integer.toString(max),
                        goneOwner == null ? "" : goneOwner)));
    return parkOutcome((List<?>) r);
  }

  @Override
  public Park delivered(
      String id,
      String owner,
      CallPayload result,
      long ttlMillis,
      int max,
      Duration remember,
      boolean reclaim) {
    Object r =
        redis.run(
            () ->
                DELIVERED.eval(
                    redis.commands(),
                    List.of(
                        RedisKeys.session(id),
                        RedisKeys.sessionRecent(id),
                        RedisKeys.sessionResults(id)),
                    List.of(
                        owner,
                        JsonCodec.encodeCallPayload(result),
                        Long.toString(Math.max(1, ttlMillis)),
                        Integer.toString(max),
                        Long.toString(Math.max(1, remember.toMillis())),
                        reclaim ? "1" : "0")));
    return parkOutcome((List<?>) r);
  }

  /**
   * What session-park.lua or session-delivered.lua answered: {"owner", owner}, {"gone"}, {"full"},
   * {"parked"} or {"kept"}.
   */
  private static Park parkOutcome(List<?> out) {
    return switch ((String) out.get(0)) {
      case "owner" -> new Park(Park.Kind.FORWARD, (String) out.get(1));
      case "gone" -> new Park(Park.Kind.GONE, null);
      case "full" -> new Park(Park.Kind.FULL, null);
      case "kept" -> new Park(Park.Kind.KEPT, null);
      default -> new Park(Park.Kind.PARKED, null);
    };
  }

  @Override
  public void forward(String shard, String id, CallPayload result, long ttlMillis) {
    CallPayload there = new CallPayload(shard, result.msgUuid(), result.uri(), result.args());
    redis.run(
        () ->
            FORWARD.eval(
                redis.commands(),
                List.of(
                    RedisKeys.resultTimeout(shard, result.msgUuid()),
                    RedisKeys.results(shard),
                    RedisKeys.sessionCalls(shard)),
                List.of(
                    Long.toString(Math.max(1, ttlMillis)),
                    JsonCodec.encodeCallPayload(there),
                    result.msgUuid(),
                    id + " " + result.uri())));
  }

  @Override
  public void settled(String shard, String callUuid) {
    broker.release(shard, List.of(callUuid));
  }

  @Override
  public Optional<CallRef> findCall(String id, String callUuid) {
    String shards = redis.run(() -> redis.commands().hget(RedisKeys.session(id), "shards"));
    if (shards == null) {
      return Optional.empty();
    }
    for (String shard : shards.split(" ")) {
      String binding =
          redis.run(() -> redis.commands().hget(RedisKeys.sessionCalls(shard), callUuid));
      if (binding != null && binding.startsWith(id + " ")) {
        return Optional.of(new CallRef(shard, binding.substring(id.length() + 1)));
      }
    }
    return Optional.empty();
  }

  @Override
  public void beat(Collection<String> shards) {
    shards("beat", shards);
  }

  @Override
  public void release(Collection<String> shards) {
    shards("release", shards);
  }

  /** How long the shard set lives after the last beat of any server. */
  static final Duration SHARDS_KEPT = Duration.ofSeconds(15);

  private void shards(String op, Collection<String> shards) {
    List<String> args = new ArrayList<>();
    args.add(op);
    args.add(Long.toString(SHARDS_KEPT.toMillis()));
    args.addAll(shards);
    redis.run(() -> SHARDS.eval(redis.commands(), List.of(RedisKeys.SESSION_SHARDS), args));
  }

  @Override
  public List<String> deadShards(Duration silence) {
    Object r =
        redis.run(
            () ->
                SHARDS.eval(
                    redis.commands(),
                    List.of(RedisKeys.SESSION_SHARDS),
                    List.of("dead", Long.toString(silence.toMillis()))));
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) r) {
      out.add((String) o);
    }
    return out;
  }

  @Override
  public List<TakenResult> adopt(String shard, int max, Duration silence) {
    Object r =
        redis.run(
            () ->
                ADOPT.eval(
                    redis.commands(),
                    List.of(
                        RedisKeys.results(shard),
                        RedisKeys.sessionCalls(shard),
                        RedisKeys.sessionHeld(shard)),
                    List.of(RedisKeys.resultTimeoutPrefix(shard), Integer.toString(max))));
    List<?> out = (List<?>) r;
    if (out.isEmpty() || Long.valueOf(0).equals(out.get(0))) {
      redis.run(
          () ->
              SHARDS.eval(
                  redis.commands(),
                  List.of(RedisKeys.SESSION_SHARDS),
                  List.of("forget", Long.toString(silence.toMillis()), shard)));
      return null;
    }
    return broker.adopted(out, shard);
  }
}
