package io.juggler.broker.redis;

import io.juggler.broker.BrokerException;
import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.CalleeBroker;
import io.juggler.broker.CallerBroker;
import io.juggler.broker.CapacityExceededException;
import io.juggler.broker.EventListener;
import io.juggler.broker.EventSubscriber;
import io.juggler.broker.PubSubBroker;
import io.juggler.broker.ReceivedCall;
import io.juggler.message.CallPayload;
import io.juggler.message.InvalidPayloadException;
import io.juggler.message.JsonCodec;
import io.juggler.message.PubPayload;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
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
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisURIHelper;
import redis.clients.jedis.util.KeyValue;

/**
 * The broker on Redis: implements all three roles with the layout of spec section 6.
 *
 * <p>Short commands (scripts, PUBLISH) go through a pooled client; blocking pops through a second
 * pooled client sized for the pumps and workers that block, so a blocked pop never starves a short
 * command. Pub-sub uses its own Redis when configured. The broker owns its clients: {@link
 * #close()} closes them. Thread-safe.
 */
public final class RedisBroker implements CallerBroker, CalleeBroker, PubSubBroker, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());

  private static final Script REGISTER = Script.load("register.lua");
  private static final Script TAKE = Script.load("take.lua");
  private static final Script TAKE_NEXT = Script.load("take-next.lua");

  /** A popped entry and the PTTL of its expiry key, or -3 when the script left that to us. */
  private record Popped(String payload, long pttl) {}

  private final RedisSettings settings;
  private final BrokerMetrics metrics;
  private final JedisClientConfig clientConfig;
  private final UnifiedJedis commands;
  private final UnifiedJedis blocking;
  private final UnifiedJedis pubsub;

  public RedisBroker(RedisSettings settings, BrokerMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    this.clientConfig = clientConfig(settings.rpc().get(0), settings.timeout(), 0);
    this.commands = client(settings.rpc(), settings.cluster(), clientConfig, settings.poolSize());
    // blocking pops may wait up to a minute; the socket timeout must outlast that
    JedisClientConfig blockingConfig =
        clientConfig(settings.rpc().get(0), settings.timeout(), 70_000);
    this.blocking =
        client(settings.rpc(), settings.cluster(), blockingConfig, settings.blockingPoolSize());
    this.pubsub =
        settings.separatePubSub()
            ? client(
                settings.pubsub(),
                settings.pubsubCluster(),
                clientConfig(settings.pubsub().get(0), settings.timeout(), 0),
                settings.poolSize())
            : commands;
  }

  /** Checks that every Redis answers PING; throws {@link BrokerUnavailableException} if not. */
  public void ping() {
    run(commands::ping);
    if (pubsub != commands) {
      run(pubsub::ping);
    }
  }

  public RedisSettings settings() {
    return settings;
  }

  // ------------------------------------------------------------------ CallerBroker

  @Override
  public void call(CallPayload call, long ttlMillis) {
    register(
        RedisKeys.callTimeout(call.uri(), call.msgUuid()),
        RedisKeys.calls(call.uri()),
        ttlMillis,
        JsonCodec.encodeCallPayload(call),
        settings.callCapacity());
  }

  @Override
  public Optional<CallPayload> takeResult(String connUuid, Duration timeout) {
    List<CallPayload> results = takeResults(connUuid, timeout, 1);
    return results.isEmpty() ? Optional.empty() : Optional.of(results.get(0));
  }

  @Override
  public List<CallPayload> takeResults(String connUuid, Duration timeout, int max) {
    String list = RedisKeys.results(connUuid);
    KeyValue<String, String> popped = run(() -> blocking.brpop(seconds(timeout), list));
    if (popped == null) {
      return List.of();
    }
    List<CallPayload> live = new ArrayList<>();
    for (Popped p : takeNext(List.of(list), "results", max - 1, popped.getValue())) {
      CallPayload result = decode(p.payload(), false);
      if (result == null) {
        continue;
      }
      long pttl =
          p.pttl() == -3
              ? take(RedisKeys.resultTimeout(result.connUuid(), result.msgUuid()))
              : p.pttl();
      if (pttl <= 0) {
        metrics.expiredResult(result.uri(), result.msgUuid());
        LOG.log(
            Level.FINE,
            "conn={0} msg={1} uri={2} result expired before delivery",
            new Object[] {connUuid, result.msgUuid(), result.uri()});
      } else {
        live.add(result);
      }
    }
    return live;
  }

  // ------------------------------------------------------------------ CalleeBroker

  @Override
  public Optional<ReceivedCall> takeCall(List<String> uris, Duration timeout) {
    String[] keys = uris.stream().map(RedisKeys::calls).toArray(String[]::new);
    KeyValue<String, String> popped = run(() -> blocking.brpop(seconds(timeout), keys));
    if (popped == null) {
      return Optional.empty();
    }
    List<String> from = List.of(popped.getKey());
    return received(takeNext(from, "calls", 0, popped.getValue()));
  }

  @Override
  public Optional<ReceivedCall> pollCall(List<String> uris) {
    List<String> keys = uris.stream().map(RedisKeys::calls).toList();
    return received(takeNext(keys, "calls", 1, null));
  }

  private Optional<ReceivedCall> received(List<Popped> popped) {
    if (popped.isEmpty()) {
      return Optional.empty();
    }
    Popped p = popped.get(0);
    CallPayload call = decode(p.payload(), true);
    if (call == null) {
      return Optional.empty();
    }
    long pttl = p.pttl() == -3 ? take(RedisKeys.callTimeout(call.uri(), call.msgUuid())) : p.pttl();
    long now = System.nanoTime();
    if (pttl <= 0) {
      metrics.expiredCall(call.uri(), call.msgUuid());
      LOG.log(
          Level.FINE,
          "msg={0} uri={1} call expired before a callee took it",
          new Object[] {call.msgUuid(), call.uri()});
      return Optional.empty();
    }
    return Optional.of(new ReceivedCall(call, pttl, now));
  }

  /** Decodes a popped payload, or counts it as invalid and returns null. */
  private CallPayload decode(String payload, boolean call) {
    try {
      return JsonCodec.decodeCallPayload(payload);
    } catch (InvalidPayloadException e) {
      if (call) {
        metrics.invalidCallPayload();
      } else {
        metrics.invalidResultPayload();
      }
      LOG.log(
          Level.FINE,
          "dropped invalid {0} payload: {1}",
          new Object[] {call ? "call" : "result", e});
      return null;
    }
  }

  @Override
  public void storeResult(CallPayload result, long ttlMillis) {
    register(
        RedisKeys.resultTimeout(result.connUuid(), result.msgUuid()),
        RedisKeys.results(result.connUuid()),
        Math.max(1, ttlMillis),
        JsonCodec.encodeCallPayload(result),
        settings.resultCapacity());
  }

  // ------------------------------------------------------------------ PubSubBroker

  @Override
  public void publish(String channel, PubPayload payload) {
    String data = JsonCodec.encodePubPayload(payload);
    run(() -> pubsub.publish(channel, data));
  }

  @Override
  public EventSubscriber openSubscriber(EventListener listener, ThreadFactory threads) {
    List<HostAndPort> nodes =
        settings.pubsub().stream().map(JedisURIHelper::getHostAndPort).collect(Collectors.toList());
    JedisClientConfig config = clientConfig(settings.pubsub().get(0), settings.timeout(), 0);
    return new RedisEventSubscriber(nodes, config, listener, metrics, threads);
  }

  // ------------------------------------------------------------------ internals

  private void register(String expiryKey, String listKey, long ttl, String payload, int cap) {
    List<String> keys = List.of(expiryKey, listKey);
    List<String> args = List.of(Long.toString(ttl), payload, Integer.toString(cap));
    try {
      try {
        run(() -> REGISTER.eval(commands, keys, args));
      } catch (BrokerUnavailableException e) {
        // Typically a pooled connection that died with a Redis restart; the pool has dropped it.
        // Retrying is safe: if the first attempt did run, the duplicate entry finds its expiry
        // key already taken when popped and is dropped as expired.
        run(() -> REGISTER.eval(commands, keys, args));
      }
    } catch (BrokerException e) {
      if (e.getMessage() != null && e.getMessage().contains(CapacityExceededException.MESSAGE)) {
        throw new CapacityExceededException(e.getCause());
      }
      throw e;
    }
  }

  private long take(String expiryKey) {
    Object r;
    try {
      r = run(() -> TAKE.eval(commands, List.of(expiryKey), List.of()));
    } catch (BrokerUnavailableException e) {
      // the entry is already popped: one more try on a fresh connection before it is lost (if
      // the first attempt did run, this one reads -2 and the entry counts as expired)
      r = run(() -> TAKE.eval(commands, List.of(expiryKey), List.of()));
    }
    return r instanceof Long l ? l : -2;
  }

  /**
   * Runs take-next.lua: takes the expiry key of {@code first} (already popped from the first of
   * {@code lists}) if given, and pops up to {@code more} entries with theirs, in one round trip.
   */
  private List<Popped> takeNext(List<String> lists, String kind, int more, String first) {
    List<String> args =
        first == null
            ? List.of(kind, Integer.toString(more))
            : List.of(kind, Integer.toString(more), first);
    Object r;
    try {
      r = run(() -> TAKE_NEXT.eval(commands, lists, args));
    } catch (BrokerUnavailableException e) {
      if (first == null) {
        throw e;
      }
      // the first entry is already popped: one more try before it is lost (see take())
      r = run(() -> TAKE_NEXT.eval(commands, lists, args));
    }
    List<Popped> out = new ArrayList<>();
    if (r instanceof List<?> flat) {
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        out.add(new Popped((String) flat.get(i), (Long) flat.get(i + 1)));
      }
    }
    return out;
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  /** The pooled client for short commands (for {@link RedisRegistry}). */
  UnifiedJedis commands() {
    return commands;
  }

  /** The client for blocking pops (for {@link RedisRegistry}). */
  UnifiedJedis blocking() {
    return blocking;
  }

  /** Runs a Redis operation and translates Jedis failures into broker exceptions. */
  <T> T run(Supplier<T> op) {
    try {
      return op.get();
    } catch (JedisConnectionException | JedisClusterOperationException e) {
      metrics.redisError();
      throw new BrokerUnavailableException(messageOf(e), e);
    } catch (JedisDataException e) {
      metrics.redisError();
      throw new BrokerException(e.getMessage(), e);
    } catch (JedisException e) {
      metrics.redisError();
      // pool exhausted and similar: the broker cannot serve right now
      throw new BrokerUnavailableException(messageOf(e), e);
    }
  }

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

  static JedisClientConfig clientConfig(URI url, Duration timeout, int blockingSocketMillis) {
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .protocol(RedisProtocol.RESP2)
            .timeoutMillis((int) timeout.toMillis())
            .blockingSocketTimeoutMillis(blockingSocketMillis)
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

  private UnifiedJedis client(
      List<URI> nodes, boolean cluster, JedisClientConfig config, int poolSize) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(poolSize);
    pool.setMaxIdle(poolSize);
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
        return RedisClusterClient.builder()
            .nodes(seeds)
            .clientConfig(config)
            .poolConfig(pool)
            .maxAttempts(5)
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

  /** A Lua script sent with EVALSHA, falling back to EVAL when Redis has not cached it yet. */
  private record Script(String source, String sha) {

    static Script load(String name) {
      try (InputStream in = RedisBroker.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("missing script resource " + name);
        }
        String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Script(source, sha1(source));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Object eval(UnifiedJedis jedis, List<String> keys, List<String> args) {
      try {
        return jedis.evalsha(sha, keys, args);
      } catch (JedisNoScriptException e) {
        return jedis.eval(source, keys, args);
      }
    }

    private static String sha1(String s) {
      try {
        byte[] d =
            java.security.MessageDigest.getInstance("SHA-1")
                .digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder();
        for (byte b : d) {
          sb.append(String.format("%02x", b));
        }
        return sb.toString();
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
