package io.juggler.broker.redis;

import io.juggler.message.CallPayload;
import io.juggler.message.InvalidPayloadException;
import io.juggler.message.JsonCodec;
import io.juggler.registry.ExpiredCall;
import io.juggler.registry.InstanceState;
import io.juggler.registry.QueueInfo;
import io.juggler.registry.RegisteredInstance;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.KeyValue;

/**
 * The cluster registry in Redis: instance states with a time-to-live, the cluster-wide record of
 * expired calls, per-instance control lists (disconnect requests), and a bounded scan of the call
 * and results lists. Uses the application's shared {@link RedisClients}; never {@code KEYS}. Key
 * names come from {@link RedisKeys}.
 *
 * <p>Keys (all outside the compatibility layout of spec section 6, which is untouched; the hash tag
 * {@code {juggler.registry}} keeps them on one Redis Cluster slot so multi-key commands work):
 *
 * <ul>
 *   <li>{@code juggler:registry:{juggler.registry}:instances}: sorted set, instance id scored by
 *       the epoch milliseconds of its last publication (pruned after a minute of silence)
 *   <li>{@code juggler:registry:{juggler.registry}:instance:<id>}: string, the instance's {@link
 *       InstanceState} as JSON, expiring after {@link #TTL_INTERVALS} publication intervals; read
 *       with its PTTL, which tells a reader how long ago it was written ({@link #instances})
 *   <li>{@code juggler:registry:{juggler.registry}:expired}: hash, stage to count
 *   <li>{@code juggler:registry:{juggler.registry}:expired:recent}: list of {@link ExpiredCall}
 *       JSON, newest first, at most {@link #RECENT_EXPIRED} entries
 *   <li>{@code juggler:registry:{juggler.registry}:watch:connections} and {@code
 *       ...:watch:subscriptions}: set with a short TTL while a console shows those details
 *   <li>{@code juggler:registry:{juggler.registry}:audit}: list of console actions and sign-ins,
 *       newest first, at most {@link #AUDIT_KEPT}
 *   <li>{@code juggler:registry:{juggler.registry}:audit:refused}: list of refused logins, newest
 *       first, at most {@link #AUDIT_KEPT}: kept apart, so that anyone who can post to the login
 *       page cannot push the actions out of theirs
 *   <li>{@code juggler:registry:{juggler.registry}:control:<id>}: list of commands for one instance
 *       (a list rather than a pub-sub channel: websocket clients may PUB and SUB on any channel,
 *       but cannot write keys)
 * </ul>
 *
 * Thread-safe.
 */
public final class RedisRegistry {

  private static final Logger LOG = Logger.getLogger(RedisRegistry.class.getName());

  private static final String INSTANCES = RedisKeys.REGISTRY_INSTANCES;
  private static final String EXPIRED = RedisKeys.REGISTRY_EXPIRED;
  private static final String RECENT = RedisKeys.REGISTRY_EXPIRED_RECENT;
  private static final String AUDIT = RedisKeys.REGISTRY_AUDIT;
  private static final String AUDIT_REFUSED = RedisKeys.REGISTRY_AUDIT_REFUSED;
  private static final String WATCH_CONNECTIONS = RedisKeys.REGISTRY_WATCH_CONNECTIONS;
  private static final String WATCH_SUBSCRIPTIONS = RedisKeys.REGISTRY_WATCH_SUBSCRIPTIONS;
  private static final RedisScript PURGE = RedisScript.load("purge.lua");
  private static final RedisScript STATES = RedisScript.load("states.lua");

  /** An instance state lives this many of its publication intervals after its last write. */
  public static final int TTL_INTERVALS = 3;

  /**
   * The least a publisher may be late before it counts as silent: a GC pause or a loaded machine's
   * scheduling delay is a matter of absolute time, not a fraction of the interval.
   */
  static final Duration LATE_AT_LEAST = Duration.ofSeconds(1);

  /** Console actions kept cluster-wide. */
  public static final int AUDIT_KEPT = 100;

  /** Recent expired calls kept cluster-wide. */
  public static final int RECENT_EXPIRED = 200;

  /**
   * How long the cluster's history (expired-call counts, recent expired calls, the audit list)
   * outlives its last write: a cluster whose every instance is gone leaves nothing in Redis after
   * this. Each write extends it.
   */
  public static final Duration HISTORY_KEPT = Duration.ofDays(7);

  /** How long an instance stays in the index without publishing (its state is long gone). */
  static final long INSTANCES_KEPT_MILLIS = 60_000;

  private static final Jsonb JSON = JsonbBuilder.create();

  private final RedisClients redis;

  public RedisRegistry(RedisClients redis) {
    this.redis = redis;
  }

  private static String instanceKey(String id) {
    return RedisKeys.registryInstance(id);
  }

  private static String controlKey(String id) {
    return RedisKeys.registryControl(id);
  }

  // ------------------------------------------------------------------ instances

  /**
   * How long after its last write an instance whose publication interval is {@code interval} counts
   * as silent: one interval plus half an interval of grace, the grace at least {@link
   * #LATE_AT_LEAST} but at most one interval. At the default 2 s interval that is 3 s (1.5
   * intervals): a live publisher may be 1 s late (a GC pause, a loaded 2-core machine) without
   * flapping, and a dead one is marked 3 s after its last write instead of disappearing after 6 s.
   * The 1 s floor matters for short intervals (500 ms: silent after 1 s rather than 750 ms); the
   * cap keeps a silent phase before the state expires ({@link #TTL_INTERVALS} intervals).
   */
  public static Duration silentAfter(Duration interval) {
    Duration half = interval.dividedBy(2);
    Duration grace = half.compareTo(LATE_AT_LEAST) >= 0 ? half : LATE_AT_LEAST;
    return interval.plus(grace.compareTo(interval) <= 0 ? grace : interval);
  }

  /**
   * Publishes {@code state}, which expires after {@link #TTL_INTERVALS} of its {@link
   * InstanceState#intervalMillis} unless published again, and tells which details a console is
   * watching (see {@link #watch}).
   *
   * @throws IllegalArgumentException if the state has no interval
   */
  public Watched publish(InstanceState state) {
    if (state.intervalMillis() <= 0) {
      throw new IllegalArgumentException("state without an interval: " + state.intervalMillis());
    }
    long ttl = TTL_INTERVALS * state.intervalMillis();
    String json = JSON.toJson(state);
    long now = System.currentTimeMillis();
    return redis.run(
        () -> {
          try (AbstractPipeline p = redis.commands().pipelined()) {
            p.set(instanceKey(state.id()), json, SetParams.setParams().px(ttl));
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

  /**
   * Which per-connection and per-channel details a console is looking at. Instances leave them out
   * of their state otherwise, so that thousands of connections or channels cost Redis nothing while
   * nobody watches (counts are always published).
   */
  public record Watched(boolean connections, boolean subscriptions) {
    public static final Watched ALL = new Watched(true, true);
  }

  /**
   * Asks every instance for its connection list during the next {@code duration}.
   *
   * @return true when nobody was asking before: instances include the list from their next
   *     publication on, so a console that wants it now asks for one ({@link #requestPublication})
   */
  public boolean watchConnections(Duration duration) {
    return watch(WATCH_CONNECTIONS, duration);
  }

  /**
   * Asks every instance for its subscription counts during the next {@code duration}.
   *
   * @return true when nobody was asking before (see {@link #watchConnections})
   */
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

  /** Which details a console watches now. */
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

  /**
   * Asks every registered instance to publish its state at once ({@link Command#PUBLISH} on its
   * control list), as a console does when it starts watching details.
   *
   * @return the ids of the instances asked
   */
  public List<String> requestPublication(String by) {
    String json = JSON.toJson(new Command(Command.PUBLISH, null, by));
    return redis.run(
        () -> {
          List<String> ids = redis.commands().zrange(INSTANCES, 0, -1);
          if (ids.isEmpty()) {
            return ids;
          }
          try (AbstractPipeline p = redis.commands().pipelined()) {
            for (String id : ids) {
              p.lpush(controlKey(id), json);
              p.pexpire(controlKey(id), 60_000); // a command for an instance that died is not kept
            }
            p.sync();
          }
          return ids;
        });
  }

  /** Removes an instance at once (when it stops), rather than waiting for its TTL. */
  public void forget(String id) {
    redis.run(
        () -> {
          redis.commands().del(instanceKey(id), controlKey(id));
          redis.commands().zrem(INSTANCES, id);
          return null;
        });
  }

  /**
   * Every instance whose state has not expired, ordered by id, each with how long ago it was
   * written and whether it is silent (see {@link RegisteredInstance}). Two round trips however many
   * instances: the index, then every state with its PTTL in one script (states.lua; the keys share
   * the registry's hash tag, so this works on a Redis Cluster too).
   */
  public List<RegisteredInstance> instances() {
    List<String> ids = redis.run(() -> redis.commands().zrange(INSTANCES, 0, -1));
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> keys = ids.stream().map(RedisRegistry::instanceKey).toList();
    Object r = redis.run(() -> STATES.eval(redis.commands(), keys, List.of()));
    long readAt = System.currentTimeMillis();
    List<RegisteredInstance> out = new ArrayList<>();
    if (r instanceof List<?> flat) {
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        if (!(flat.get(i) instanceof String json) || !(flat.get(i + 1) instanceof Long pttl)) {
          continue; // expired: the instance stopped publishing
        }
        try {
          out.add(registered(JSON.fromJson(json, InstanceState.class), pttl, readAt));
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
    boolean silent = since > silentAfter(Duration.ofMillis(interval)).toMillis();
    return new RegisteredInstance(state, since, readAt, silent);
  }

  // ------------------------------------------------------------------ expired calls

  /**
   * Adds {@code byStage} to the cluster-wide counts and {@code recent} (oldest first; only the last
   * {@link #RECENT_EXPIRED} matter) to the recent list, in one round trip.
   */
  public void recordExpired(Map<String, Long> byStage, List<ExpiredCall> recent) {
    if (byStage.isEmpty() && recent.isEmpty()) {
      return;
    }
    List<ExpiredCall> tail =
        recent.size() > RECENT_EXPIRED
            ? recent.subList(recent.size() - RECENT_EXPIRED, recent.size())
            : recent;
    String[] json = tail.stream().map(JSON::toJson).toArray(String[]::new);
    redis.run(
        () -> {
          try (AbstractPipeline p = redis.commands().pipelined()) {
            byStage.forEach((stage, n) -> p.hincrBy(EXPIRED, stage, n));
            if (!byStage.isEmpty()) {
              p.pexpire(EXPIRED, HISTORY_KEPT.toMillis());
            }
            if (json.length > 0) {
              p.lpush(RECENT, json); // oldest first, so the newest ends up at the head
              p.ltrim(RECENT, 0, RECENT_EXPIRED - 1);
              p.pexpire(RECENT, HISTORY_KEPT.toMillis());
            }
            p.sync();
            return null;
          }
        });
  }

  /** Cluster-wide expired calls by stage since the registry was created. */
  public Map<String, Long> expiredCounts() {
    Map<String, String> raw = redis.run(() -> redis.commands().hgetAll(EXPIRED));
    Map<String, Long> out = new LinkedHashMap<>();
    for (String stage : ExpiredCall.Stage.ALL) {
      out.put(stage, Long.parseLong(raw.getOrDefault(stage, "0")));
    }
    return out;
  }

  /** The most recent expired calls, newest first. */
  public List<ExpiredCall> recentExpired(int max) {
    List<String> raw = redis.run(() -> redis.commands().lrange(RECENT, 0, max - 1));
    List<ExpiredCall> out = new ArrayList<>();
    for (String s : raw) {
      try {
        out.add(JSON.fromJson(s, ExpiredCall.class));
      } catch (JsonbException e) {
        LOG.log(Level.FINE, "unreadable expired call skipped: {0}", e.toString());
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ audit

  /** One console action: who did what, when. */
  public record AuditEntry(long at, String user, String action, String target, String outcome) {}

  /** Records a console action or sign-in cluster-wide (bounded list, newest first). */
  public void audit(AuditEntry entry) {
    push(AUDIT, entry);
  }

  /** Records a refused login cluster-wide (its own bounded list, newest first). */
  public void auditRefusal(AuditEntry entry) {
    push(AUDIT_REFUSED, entry);
  }

  private void push(String list, AuditEntry entry) {
    String json = JSON.toJson(entry);
    redis.run(
        () -> {
          try (AbstractPipeline p = redis.commands().pipelined()) {
            p.lpush(list, json);
            p.ltrim(list, 0, AUDIT_KEPT - 1);
            p.pexpire(list, HISTORY_KEPT.toMillis());
            p.sync();
            return null;
          }
        });
  }

  /** The most recent console actions and sign-ins, newest first. */
  public List<AuditEntry> recentAudit(int max) {
    return read(AUDIT, max);
  }

  /** The most recent refused logins, newest first. */
  public List<AuditEntry> recentRefusals(int max) {
    return read(AUDIT_REFUSED, max);
  }

  private List<AuditEntry> read(String list, int max) {
    List<String> raw = redis.run(() -> redis.commands().lrange(list, 0, max - 1));
    List<AuditEntry> out = new ArrayList<>();
    for (String s : raw) {
      try {
        out.add(JSON.fromJson(s, AuditEntry.class));
      } catch (JsonbException e) {
        LOG.log(Level.FINE, "unreadable audit entry skipped: {0}", e.toString());
      }
    }
    return out;
  }

  /** Checks that every Redis answers PING; throws {@code BrokerUnavailableException} if not. */
  public void ping() {
    redis.ping();
  }

  // ------------------------------------------------------------------ control

  /**
   * A command for one instance: {@code disconnect} one of its connections, or {@code publish} its
   * state now ({@code connection} null).
   */
  public record Command(String action, String connection, String by) {
    public static final String DISCONNECT = "disconnect";
    public static final String PUBLISH = "publish";
  }

  /** Asks {@code instance} to close one of its connections. */
  public void requestDisconnect(String instance, String connection, String by) {
    String json = JSON.toJson(new Command(Command.DISCONNECT, connection, by));
    redis.run(
        () -> {
          redis.commands().lpush(controlKey(instance), json);
          // a command for an instance that died is not kept forever
          redis.commands().pexpire(controlKey(instance), 60_000);
          return null;
        });
  }

  /** Waits up to {@code timeout} (at least 1 ms) for the next command for {@code instance}. */
  public Optional<Command> awaitCommand(String instance, Duration timeout) {
    double seconds = Math.max(0.001, timeout.toMillis() / 1000.0);
    KeyValue<String, String> popped =
        redis.run(() -> redis.blocking().brpop(seconds, controlKey(instance)));
    if (popped == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.fromJson(popped.getValue(), Command.class));
    } catch (JsonbException e) {
      LOG.log(Level.WARNING, "unreadable control command dropped: {0}", popped.getValue());
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------ queues

  /**
   * The call and results lists found by one bounded SCAN.
   *
   * @param complete false when the scan stopped at its budget of round trips before seeing every
   *     key
   * @param rounds SCAN round trips made
   */
  public record QueueScan(List<QueueInfo> queues, boolean complete, int rounds) {}

  /**
   * Scans for {@code juggler:calls:{*}} and {@code juggler:results:{*}} lists (SCAN with MATCH,
   * TYPE and COUNT {@code count}; every node of a cluster) in at most {@code maxRounds} round
   * trips, and reads each list's depth and the age of its oldest entry (from that entry's expiry
   * key).
   */
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

  /**
   * Deletes a call or results list (purge); returns how many entries it held. The expiry keys of
   * its entries are left to expire by themselves; waiting clients see their calls expire.
   *
   * @throws IllegalArgumentException if {@code key} is not a call or results list key
   */
  public long purge(String key) {
    if (!(RedisKeys.isCallList(key) || RedisKeys.isResultsList(key))) {
      throw new IllegalArgumentException("not a call or results list: " + key);
    }
    Object n = redis.run(() -> PURGE.eval(redis.commands(), List.of(key), List.of()));
    return n instanceof Long l ? l : 0;
  }
}
