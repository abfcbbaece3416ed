package io.juggler.config;

import io.juggler.ConfigurationException;
import io.juggler.Printable;
import io.juggler.auth.AccessRules;
import io.juggler.auth.AuthMode;
import io.juggler.auth.AuthSettings;
import io.juggler.auth.TokenVerifier;
import io.juggler.auth.TrustedProxies;
import io.juggler.broker.redis.RedisSettings;
import io.juggler.message.Protocol;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * Every setting of Juggler EE, read once and validated. Keys are dotted MicroProfile Config names;
 * each can also be given as an environment variable (upper case, dots and dashes as underscores:
 * {@code juggler.redis.url} is {@code JUGGLER_REDIS_URL}). Durations accept {@code 500ms}, {@code
 * 2s}, {@code 1m}, {@code 1h}, ISO-8601 ({@code PT2S}) or a plain number of milliseconds.
 *
 * <p>{@link #from} throws {@link ConfigurationException} naming the first bad key and its value.
 */
public record JugglerConfig(
    Redis redis,
    Calls calls,
    Server server,
    Limits limits,
    Callee callee,
    Admin admin,
    Duration registryInterval,
    AuthSettings auth,
    TrustedProxies trustedProxies,
    History history) {

  /**
   * Where Redis is and how to talk to it ({@code juggler.redis.*}).
   *
   * @param urls RPC nodes ({@value #REDIS_URL})
   * @param pubsubUrls pub-sub nodes ({@value #REDIS_PUBSUB_URL}; the RPC ones when unset)
   * @param cluster {@value #REDIS_CLUSTER}
   * @param pubsubCluster {@value #REDIS_PUBSUB_CLUSTER} ({@code cluster} when unset)
   * @param poolSize {@value #REDIS_POOL_SIZE}
   * @param timeout {@value #REDIS_TIMEOUT}
   * @param blockingTimeout {@value #BLOCKING_TIMEOUT}
   */
  public record Redis(
      List<URI> urls,
      List<URI> pubsubUrls,
      boolean cluster,
      boolean pubsubCluster,
      int poolSize,
      Duration timeout,
      Duration blockingTimeout) {

    private static Redis read(Reader r) {
      List<URI> urls = r.urls(REDIS_URL);
      boolean cluster = r.bool(REDIS_CLUSTER);
      boolean pubsubCluster =
          r.get(REDIS_PUBSUB_CLUSTER).isEmpty() ? cluster : r.bool(REDIS_PUBSUB_CLUSTER);
      if (!cluster && r.list(REDIS_URL).size() > 1) {
        throw new ConfigurationException(
            REDIS_URL
                + " lists several URLs but "
                + REDIS_CLUSTER
                + " is false: "
                + r.get(REDIS_URL));
      }
      if (!pubsubCluster && r.list(REDIS_PUBSUB_URL).size() > 1) {
        throw new ConfigurationException(
            REDIS_PUBSUB_URL
                + " lists several URLs but the pub-sub Redis is not a cluster ("
                + REDIS_PUBSUB_CLUSTER
                + "): "
                + r.get(REDIS_PUBSUB_URL));
      }
      return new Redis(
          urls,
          r.get(REDIS_PUBSUB_URL).isEmpty() ? urls : r.urls(REDIS_PUBSUB_URL),
          cluster,
          pubsubCluster,
          r.intIn(REDIS_POOL_SIZE, 1, 10_000),
          r.duration(REDIS_TIMEOUT, Duration.ofMillis(1)),
          r.durationIn(BLOCKING_TIMEOUT, Duration.ofSeconds(1), Duration.ofSeconds(60)));
    }
  }

  /**
   * What a CALL may ask and how calls and results are queued ({@code juggler.calls.*}, {@code
   * juggler.results.capacity}).
   *
   * @param capacity {@value #CALL_CAPACITY}
   * @param resultCapacity {@value #RESULT_CAPACITY}
   * @param defaultTimeout {@value #DEFAULT_CALL_TIMEOUT}
   * @param maxTimeout {@value #MAX_CALL_TIMEOUT}
   * @param maxArgsBytes {@value #MAX_CALL_ARGS_BYTES}
   * @param rejectUnserved {@value #REJECT_UNSERVED}
   * @param admission {@value #CALL_ADMISSION}
   */
  public record Calls(
      int capacity,
      int resultCapacity,
      Duration defaultTimeout,
      Duration maxTimeout,
      int maxArgsBytes,
      boolean rejectUnserved,
      boolean admission) {

    private static Calls read(Reader r) {
      Calls c =
          new Calls(
              r.intIn(CALL_CAPACITY, 0, Integer.MAX_VALUE),
              r.intIn(RESULT_CAPACITY, 0, Integer.MAX_VALUE),
              r.duration(DEFAULT_CALL_TIMEOUT, Duration.ofMillis(1)),
              r.durationIn(MAX_CALL_TIMEOUT, Duration.ofMillis(1), Duration.ofDays(1)),
              r.intIn(MAX_CALL_ARGS_BYTES, 1, Integer.MAX_VALUE),
              r.bool(REJECT_UNSERVED),
              r.bool(CALL_ADMISSION));
      if (c.defaultTimeout().compareTo(c.maxTimeout()) > 0) {
        throw new ConfigurationException(
            "invalid value for "
                + DEFAULT_CALL_TIMEOUT
                + ": '"
                + r.get(DEFAULT_CALL_TIMEOUT)
                + "' (expected at most "
                + MAX_CALL_TIMEOUT
                + ", "
                + r.get(MAX_CALL_TIMEOUT)
                + ")");
      }
      return c;
    }
  }

  /**
   * The websocket server role and how it treats each connection ({@code juggler.server.*}).
   *
   * @param enabled {@value #SERVER_ENABLED}
   * @param readLimit {@value #READ_LIMIT}
   * @param writeTimeout {@value #WRITE_TIMEOUT}
   * @param pingInterval {@value #PING_INTERVAL}
   * @param outboundQueue {@value #OUTBOUND_QUEUE}
   * @param outboundBytes {@value #OUTBOUND_BYTES}
   * @param allowedOrigins {@value #ALLOWED_ORIGINS}
   * @param allowEmptySubprotocol {@value #ALLOW_EMPTY_SUBPROTOCOL}
   * @param resultShards {@value #RESULT_SHARDS}
   * @param eventThreads {@value #EVENT_THREADS}
   * @param closeUri {@value #CLOSE_URI}
   * @param resumeWindow {@value #RESUME_WINDOW} (0: no sessions)
   */
  public record Server(
      boolean enabled,
      int readLimit,
      Duration writeTimeout,
      Duration pingInterval,
      int outboundQueue,
      int outboundBytes,
      List<String> allowedOrigins,
      boolean allowEmptySubprotocol,
      int resultShards,
      int eventThreads,
      Optional<String> closeUri,
      Duration resumeWindow) {

    private static Server read(Reader r) {
      return new Server(
          r.bool(SERVER_ENABLED),
          r.intIn(READ_LIMIT, 0, Integer.MAX_VALUE),
          r.duration(WRITE_TIMEOUT, Duration.ofMillis(1)),
          r.durationIn(PING_INTERVAL, Duration.ZERO, Duration.ofHours(1)),
          r.intIn(OUTBOUND_QUEUE, 1, 1_000_000),
          r.intIn(OUTBOUND_BYTES, 1024, Integer.MAX_VALUE),
          r.list(ALLOWED_ORIGINS),
          r.bool(ALLOW_EMPTY_SUBPROTOCOL),
          r.intIn(RESULT_SHARDS, 1, 64),
          r.intIn(EVENT_THREADS, 0, 64),
          r.optional(CLOSE_URI),
          r.durationIn(RESUME_WINDOW, Duration.ZERO, Duration.ofHours(1)));
    }

    /** Threads writing EVNTs: {@link #eventThreads} or, when 0, the cores (at most 16). */
    public int effectiveEventThreads() {
      return eventThreads > 0
          ? eventThreads
          : Math.min(16, Runtime.getRuntime().availableProcessors());
    }
  }

  /**
   * What one connection may ask: quotas, rate, and the size of the names it chooses.
   *
   * @param maxPendingCalls {@value #MAX_PENDING_CALLS}
   * @param maxSubscriptions {@value #MAX_SUBSCRIPTIONS}
   * @param maxPatternSubscriptions {@value #MAX_PATTERN_SUBSCRIPTIONS}
   * @param rate {@value #RATE_LIMIT} (0: none)
   * @param burst {@value #RATE_BURST}
   * @param names {@value #MAX_URI_BYTES}, {@value #MAX_CHANNEL_BYTES}, {@value
   *     #MAX_PATTERN_WILDCARDS}
   */
  public record Limits(
      int maxPendingCalls,
      int maxSubscriptions,
      int maxPatternSubscriptions,
      int rate,
      int burst,
      NameLimits names) {

    private static Limits read(Reader r) {
      return new Limits(
          r.intIn(MAX_PENDING_CALLS, 1, 1_000_000),
          r.intIn(MAX_SUBSCRIPTIONS, 1, 1_000_000),
          r.intIn(MAX_PATTERN_SUBSCRIPTIONS, 0, 1_000_000),
          r.intIn(RATE_LIMIT, 0, 10_000_000),
          r.intIn(RATE_BURST, 1, 100_000_000),
          new NameLimits(
              r.intIn(MAX_URI_BYTES, 1, 1 << 20),
              r.intIn(MAX_CHANNEL_BYTES, 1, 1 << 20),
              r.intIn(MAX_PATTERN_WILDCARDS, 0, 1_000)));
    }
  }

  /**
   * The callee role ({@code juggler.callee.*}).
   *
   * @param enabled {@value #CALLEE_ENABLED}
   * @param demoEnabled {@value #CALLEE_DEMO_ENABLED}
   * @param workers {@value #CALLEE_WORKERS}
   * @param errorDetails whether {@value #CALLEE_ERROR_DETAILS} is {@code message}
   * @param shutdownGrace {@value #CALLEE_SHUTDOWN_GRACE}
   * @param lease {@value #CALLEE_LEASE}
   */
  public record Callee(
      boolean enabled,
      boolean demoEnabled,
      int workers,
      boolean errorDetails,
      Duration shutdownGrace,
      Duration lease) {

    private static Callee read(Reader r) {
      return new Callee(
          r.bool(CALLEE_ENABLED),
          r.bool(CALLEE_DEMO_ENABLED),
          r.intIn(CALLEE_WORKERS, 1, 1_000),
          r.choice(CALLEE_ERROR_DETAILS, "message", "none").equals("message"),
          r.duration(CALLEE_SHUTDOWN_GRACE, Duration.ZERO),
          r.durationIn(CALLEE_LEASE, Duration.ofMillis(500), Duration.ofMinutes(10)));
    }
  }

  /**
   * The operations console ({@code juggler.admin.*}).
   *
   * @param user {@value #ADMIN_USER}
   * @param password {@value #ADMIN_PASSWORD}
   * @param tokenRole {@value #ADMIN_TOKEN_ROLE}
   */
  public record Admin(String user, Optional<String> password, Optional<String> tokenRole) {

    private static Admin read(Reader r) {
      Admin a =
          new Admin(r.get(ADMIN_USER), r.optional(ADMIN_PASSWORD), r.optional(ADMIN_TOKEN_ROLE));
      if (a.user().isEmpty()) {
        throw new ConfigurationException(
            "invalid value for " + ADMIN_USER + ": '' (expected a user name)");
      }
      if (a.password().isPresent() && a.password().get().length() < 8) {
        throw new ConfigurationException(
            "invalid value for "
                + ADMIN_PASSWORD
                + ": too short (expected at least 8 characters, or unset to disable the console)");
      }
      return a;
    }

    /**
     * Whether the console may be used: a password is configured, or a token role (bearer tokens
     * holding {@code juggler.admin.token-role} open it).
     */
    public boolean enabled() {
      return password.isPresent() || tokenRole.isPresent();
    }
  }

  public static final String REDIS_URL = "juggler.redis.url";
  public static final String REDIS_PUBSUB_URL = "juggler.redis.pubsub.url";
  public static final String REDIS_CLUSTER = "juggler.redis.cluster";
  public static final String REDIS_PUBSUB_CLUSTER = "juggler.redis.pubsub.cluster";
  public static final String REDIS_POOL_SIZE = "juggler.redis.pool-size";
  public static final String REDIS_TIMEOUT = "juggler.redis.timeout";
  public static final String CALL_CAPACITY = "juggler.calls.capacity";
  public static final String RESULT_CAPACITY = "juggler.results.capacity";
  public static final String DEFAULT_CALL_TIMEOUT = "juggler.calls.default-timeout";
  public static final String MAX_CALL_TIMEOUT = "juggler.calls.max-timeout";
  public static final String MAX_CALL_ARGS_BYTES = "juggler.calls.max-args-bytes";
  public static final String MAX_URI_BYTES = "juggler.calls.max-uri-bytes";
  public static final String REJECT_UNSERVED = "juggler.calls.reject-unserved";
  public static final String CALL_ADMISSION = "juggler.calls.admission";
  public static final String SERVER_ENABLED = "juggler.server.enabled";
  public static final String READ_LIMIT = "juggler.server.read-limit";
  public static final String WRITE_TIMEOUT = "juggler.server.write-timeout";
  public static final String PING_INTERVAL = "juggler.server.ping-interval";
  public static final String OUTBOUND_QUEUE = "juggler.server.outbound-queue";
  public static final String OUTBOUND_BYTES = "juggler.server.outbound-bytes";
  public static final String MAX_PENDING_CALLS = "juggler.server.max-pending-calls";
  public static final String MAX_SUBSCRIPTIONS = "juggler.server.max-subscriptions";
  public static final String MAX_PATTERN_SUBSCRIPTIONS = "juggler.server.max-pattern-subscriptions";
  public static final String MAX_CHANNEL_BYTES = "juggler.server.max-channel-bytes";
  public static final String MAX_PATTERN_WILDCARDS = "juggler.server.max-pattern-wildcards";
  public static final String RATE_LIMIT = "juggler.server.rate-limit";
  public static final String RATE_BURST = "juggler.server.rate-burst";
  public static final String ALLOWED_ORIGINS = "juggler.server.allowed-origins";
  public static final String ALLOW_EMPTY_SUBPROTOCOL = "juggler.server.allow-empty-subprotocol";
  public static final String RESULT_SHARDS = "juggler.server.result-shards";
  public static final String EVENT_THREADS = "juggler.server.event-threads";
  public static final String BLOCKING_TIMEOUT = "juggler.redis.blocking-timeout";
  public static final String CLOSE_URI = "juggler.server.close-uri";
  public static final String RESUME_WINDOW = "juggler.server.resume-window";
  public static final String CALLEE_ENABLED = "juggler.callee.enabled";
  public static final String CALLEE_DEMO_ENABLED = "juggler.callee.demo.enabled";
  public static final String CALLEE_WORKERS = "juggler.callee.workers";
  public static final String CALLEE_ERROR_DETAILS = "juggler.callee.error-details";
  public static final String CALLEE_SHUTDOWN_GRACE = "juggler.callee.shutdown-grace";
  public static final String CALLEE_LEASE = "juggler.callee.lease";
  public static final String REGISTRY_INTERVAL = "juggler.registry.interval";
  public static final String ADMIN_USER = "juggler.admin.user";
  public static final String ADMIN_PASSWORD = "juggler.admin.password";
  public static final String ADMIN_TOKEN_ROLE = "juggler.admin.token-role";
  public static final String AUTH_MODE = "juggler.auth.mode";
  public static final String AUTH_RULES = "juggler.auth.rules";
  public static final String AUTH_QUERY_TOKEN = "juggler.auth.query-token";
  public static final String TRUSTED_PROXIES = "juggler.server.trusted-proxies";
  public static final String HISTORY_CHANNELS = "juggler.history.channels";

  /**
   * The most bytes of missed events one recovering subscriber is replayed (issue 23): a SUB that
   * missed more is told "too much missed" (not recoverable), so that no subscriber makes Redis or
   * the server hold a whole history at once.
   */
  public static final String HISTORY_MAX_REPLAY_BYTES = "juggler.history.max-replay-bytes";

  /** The MicroProfile JWT setting naming the cookie that may carry a bearer token. */
  public static final String TOKEN_COOKIE = "mp.jwt.token.cookie";

  /** Every key with its default value ("" = unset), in documentation order. */
  public static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(REDIS_URL, "redis://127.0.0.1:6379");
    d.put(REDIS_PUBSUB_URL, "");
    d.put(REDIS_CLUSTER, "false");
    d.put(REDIS_PUBSUB_CLUSTER, "");
    d.put(REDIS_POOL_SIZE, "32");
    d.put(REDIS_TIMEOUT, "2s");
    d.put(BLOCKING_TIMEOUT, "2s");
    d.put(CALL_CAPACITY, "10000");
    d.put(RESULT_CAPACITY, "0");
    d.put(DEFAULT_CALL_TIMEOUT, Protocol.DEFAULT_CALL_TIMEOUT_MILLIS / 1000 + "s");
    d.put(MAX_CALL_TIMEOUT, "5m");
    d.put(MAX_CALL_ARGS_BYTES, "65536");
    d.put(MAX_URI_BYTES, "256");
    d.put(REJECT_UNSERVED, "false");
    d.put(CALL_ADMISSION, "false");
    d.put(SERVER_ENABLED, "true");
    d.put(READ_LIMIT, "1048576");
    d.put(WRITE_TIMEOUT, "10s");
    d.put(PING_INTERVAL, "30s");
    d.put(OUTBOUND_QUEUE, "1024");
    d.put(OUTBOUND_BYTES, "4194304");
    d.put(MAX_PENDING_CALLS, "256");
    d.put(MAX_SUBSCRIPTIONS, "512");
    d.put(MAX_PATTERN_SUBSCRIPTIONS, "32");
    d.put(MAX_CHANNEL_BYTES, "256");
    d.put(MAX_PATTERN_WILDCARDS, "4");
    d.put(RATE_LIMIT, "10000");
    d.put(RATE_BURST, "20000");
    d.put(ALLOWED_ORIGINS, "");
    d.put(ALLOW_EMPTY_SUBPROTOCOL, "false");
    d.put(TRUSTED_PROXIES, "");
    d.put(RESULT_SHARDS, "2");
    d.put(EVENT_THREADS, "0");
    d.put(CLOSE_URI, "");
    d.put(RESUME_WINDOW, "2m");
    d.put(CALLEE_ENABLED, "true");
    d.put(CALLEE_DEMO_ENABLED, "false");
    d.put(CALLEE_WORKERS, "8");
    d.put(CALLEE_ERROR_DETAILS, "message");
    d.put(CALLEE_SHUTDOWN_GRACE, "10s");
    d.put(CALLEE_LEASE, "5s");
    d.put(REGISTRY_INTERVAL, "2s");
    d.put(ADMIN_USER, "admin");
    d.put(ADMIN_PASSWORD, "");
    d.put(ADMIN_TOKEN_ROLE, "");
    d.put(AUTH_MODE, "none");
    d.put(AUTH_RULES, "");
    d.put(AUTH_QUERY_TOKEN, "false");
    d.put(HISTORY_CHANNELS, "");
    d.put(HISTORY_MAX_REPLAY_BYTES, Integer.toString(History.DEFAULT_MAX_REPLAY_BYTES));
    return Collections.unmodifiableMap(d);
  }

  private static final Map<Config, JugglerConfig> LOADED = new WeakHashMap<>();

  /**
   * The settings of {@code config}, read and validated once per configuration (the websocket
   * deployment and the CDI producer of one application both ask for them).
   *
   * @throws ConfigurationException naming the first bad key and its value
   */
  public static JugglerConfig of(Config config) {
    synchronized (LOADED) {
      return LOADED.computeIfAbsent(config, c -> from(source(c)));
    }
  }

  /** The raw values of {@code config}, as {@link #from} and {@link #describe} read them. */
  public static Function<String, Optional<String>> source(Config config) {
    return key -> config.getOptionalValue(key, String.class);
  }

  /**
   * Reads and validates every setting.
   *
   * @param source the raw value of a key, empty when unset (e.g. {@code config::getOptionalValue})
   */
  public static JugglerConfig from(Function<String, Optional<String>> source) {
    Reader r = new Reader(source);
    JugglerConfig c =
        new JugglerConfig(
            Redis.read(r),
            Calls.read(r),
            Server.read(r),
            Limits.read(r),
            Callee.read(r),
            Admin.read(r),
            r.durationIn(REGISTRY_INTERVAL, Duration.ofMillis(100), Duration.ofSeconds(60)),
            r.auth(),
            r.trustedProxies(),
            r.history());
    if (c.admin().tokenRole().isPresent() && c.auth().tokens().isEmpty()) {
      throw new ConfigurationException(
          ADMIN_TOKEN_ROLE
              + " is set but no bearer tokens can be checked: set "
              + TokenVerifier.PUBLIC_KEY
              + " or "
              + TokenVerifier.PUBLIC_KEY_LOCATION);
    }
    return c;
  }

  /** How long a SUB waits for Redis to confirm the subscription before it is NACKed. */
  public Duration subscribeConfirmTimeout() {
    return redis.timeout().multipliedBy(2);
  }

  /** The Redis connection settings these values describe. */
  public RedisSettings redisSettings() {
    // blocking commands: the pops of pumps and workers, and the registry's wait between
    // publications
    Duration longestBlock =
        redis.blockingTimeout().compareTo(registryInterval) >= 0
            ? redis.blockingTimeout()
            : registryInterval;
    return new RedisSettings(
        redis.urls(),
        redis.pubsubUrls(),
        redis.cluster(),
        redis.poolSize(),
        redis.timeout(),
        longestBlock,
        calls.capacity(),
        calls.resultCapacity(),
        redis.pubsubCluster());
  }

  /** The Redis URLs (RPC, and pub-sub when separate) with any credentials masked, for logs. */
  public String describeRedis() {
    String rpc = maskCredentials(redis.urls().toString());
    return redis.pubsubUrls().equals(redis.urls())
        ? rpc
        : rpc + ", pub-sub " + maskCredentials(redis.pubsubUrls().toString());
  }

  /** {@code text} with the user and password of every URL in it replaced by {@code ***}. */
  public static String maskCredentials(String text) {
    return Printable.withoutCredentials(text);
  }

  /** One line per key with its effective value (passwords masked), for the start-up log. */
  public String describe(Function<String, Optional<String>> source) {
    StringBuilder sb = new StringBuilder();
    Reader r = new Reader(source);
    for (String key : DEFAULTS.keySet()) {
      String v = r.get(key);
      if (key.startsWith("juggler.redis.") && key.endsWith("url")) {
        v = maskCredentials(v);
      } else if (key.equals(ADMIN_PASSWORD)) {
        v = v.isEmpty() ? "(unset: console disabled)" : "***";
      }
      sb.append("\n  ").append(key).append(" = ").append(v);
    }
    auth.tokens().ifPresent(t -> sb.append("\n  bearer tokens = ").append(t));
    return sb.toString();
  }

  /**
   * Reads raw values with their defaults and parses them, naming the key and the value on failure.
   *
   * <p>Durations use the {@link DurationConverter} registered with MicroProfile Config (which has
   * none). Numbers, booleans and lists are parsed here rather than by MicroProfile Config's
   * built-in converters on purpose: those turn any unknown word into {@code false} for a boolean (a
   * typo such as {@code juggler.server.enabled=ture} would silently switch a role off), report a
   * bad number without naming the key, and know no ranges. Here every value outside its range or
   * spelling stops the deployment with a message that names the key and the value.
   */
  private static final class Reader {
    private static final DurationConverter DURATIONS = new DurationConverter();

    private final Function<String, Optional<String>> source;

    Reader(Function<String, Optional<String>> source) {
      this.source = source;
    }

    String get(String key) {
      return source.apply(key).map(String::trim).orElse(DEFAULTS.get(key));
    }

    /** The value of {@code key}, empty when unset or blank. */
    Optional<String> optional(String key) {
      String v = get(key);
      return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private ConfigurationException bad(String key, String value, String expected) {
      return new ConfigurationException(
          "invalid value for " + key + ": '" + value + "' (expected " + expected + ")");
    }

    boolean bool(String key) {
      String given = get(key);
      String v = given.toLowerCase(Locale.ROOT);
      return switch (v) {
        case "true", "yes", "on", "1" -> true;
        case "false", "no", "off", "0" -> false;
        default -> throw bad(key, given, "true or false");
      };
    }

    /** One of {@code values} (case-insensitive), in lower case. */
    String choice(String key, String... values) {
      String given = get(key);
      String v = given.toLowerCase(Locale.ROOT);
      for (String allowed : values) {
        if (allowed.equals(v)) {
          return v;
        }
      }
      throw bad(key, given, String.join(" or ", values));
    }

    int intIn(String key, int min, int max) {
      String v = get(key);
      try {
        long n = Long.parseLong(v);
        if (n < min || n > max) {
          throw bad(key, v, "an integer from " + min + " to " + max);
        }
        return (int) n;
      } catch (NumberFormatException e) {
        throw bad(key, v, "an integer from " + min + " to " + max);
      }
    }

    Duration duration(String key, Duration min) {
      return durationIn(key, min, Duration.ofDays(365));
    }

    Duration durationIn(String key, Duration min, Duration max) {
      String v = get(key);
      String expected =
          "a duration such as 500ms, 2s, 1m or PT2S, from " + min.toMillis() + " ms to " + max;
      Duration d;
      try {
        d = DURATIONS.convert(v);
      } catch (IllegalArgumentException e) {
        throw bad(key, v, expected);
      }
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw bad(key, v, expected);
      }
      return d;
    }

    AuthSettings auth() {
      String m = get(AUTH_MODE);
      AuthMode mode;
      try {
        mode = AuthMode.valueOf(m.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw bad(AUTH_MODE, m, "none, optional or required");
      }
      AccessRules rules;
      try {
        rules = AccessRules.parse(get(AUTH_RULES));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("invalid value for " + AUTH_RULES + ": " + e.getMessage());
      }
      String cookie = source.apply(TOKEN_COOKIE).map(String::trim).orElse("Bearer");
      return new AuthSettings(
          mode, rules, TokenVerifier.from(source), cookie, bool(AUTH_QUERY_TOKEN));
    }

    History history() {
      try {
        return History.parse(get(HISTORY_CHANNELS))
            .withMaxReplayBytes(intIn(HISTORY_MAX_REPLAY_BYTES, 65_536, Integer.MAX_VALUE));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            "invalid value for " + HISTORY_CHANNELS + ": " + e.getMessage());
      }
    }

    TrustedProxies trustedProxies() {
      try {
        return TrustedProxies.parse(list(TRUSTED_PROXIES));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            "invalid value for " + TRUSTED_PROXIES + ": " + e.getMessage());
      }
    }

    List<String> list(String key) {
      List<String> out = new ArrayList<>();
      for (String s : get(key).split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
      return List.copyOf(out);
    }

    List<URI> urls(String key) {
      List<URI> out = new ArrayList<>();
      for (String s : list(key)) {
        URI u;
        try {
          u = URI.create(s);
        } catch (IllegalArgumentException e) {
          throw bad(key, s, "a URL such as redis://host:6379");
        }
        if (!("redis".equals(u.getScheme()) || "rediss".equals(u.getScheme()))
            || u.getHost() == null
            || u.getPort() < 0) {
          throw bad(key, s, "a URL such as redis://host:6379 (scheme redis or rediss, host, port)");
        }
        out.add(u);
      }
      if (out.isEmpty()) {
        throw bad(key, get(key), "at least one URL such as redis://host:6379");
      }
      return List.copyOf(out);
    }
  }
}
