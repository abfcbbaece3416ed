package io.juggler.config;

import static io.juggler.config.JugglerConfig.ADMIN_PASSWORD;
import static io.juggler.config.JugglerConfig.ADMIN_TOKEN_ROLE;
import static io.juggler.config.JugglerConfig.ADMIN_USER;
import static io.juggler.config.JugglerConfig.ALLOWED_ORIGINS;
import static io.juggler.config.JugglerConfig.ALLOW_EMPTY_SUBPROTOCOL;
import static io.juggler.config.JugglerConfig.AUTH_MODE;
import static io.juggler.config.JugglerConfig.AUTH_QUERY_TOKEN;
import static io.juggler.config.JugglerConfig.AUTH_RULES;
import static io.juggler.config.JugglerConfig.BLOCKING_TIMEOUT;
import static io.juggler.config.JugglerConfig.CALLEE_DEMO_ENABLED;
import static io.juggler.config.JugglerConfig.CALLEE_ENABLED;
import static io.juggler.config.JugglerConfig.CALLEE_ERROR_DETAILS;
import static io.juggler.config.JugglerConfig.CALLEE_LEASE;
import static io.juggler.config.JugglerConfig.CALLEE_SHUTDOWN_GRACE;
import static io.juggler.config.JugglerConfig.CALLEE_WORKERS;
import static io.juggler.config.JugglerConfig.CALL_ADMISSION;
import static io.juggler.config.JugglerConfig.CALL_CAPACITY;
import static io.juggler.config.JugglerConfig.CLOSE_URI;
import static io.juggler.config.JugglerConfig.DEFAULTS;
import static io.juggler.config.JugglerConfig.DEFAULT_CALL_TIMEOUT;
import static io.juggler.config.JugglerConfig.EVENT_THREADS;
import static io.juggler.config.JugglerConfig.HISTORY_CHANNELS;
import static io.juggler.config.JugglerConfig.HISTORY_MAX_REPLAY_BYTES;
import static io.juggler.config.JugglerConfig.MAX_CALL_ARGS_BYTES;
import static io.juggler.config.JugglerConfig.MAX_CALL_TIMEOUT;
import static io.juggler.config.JugglerConfig.MAX_CHANNEL_BYTES;
import static io.juggler.config.JugglerConfig.MAX_PATTERN_SUBSCRIPTIONS;
import static io.juggler.config.JugglerConfig.MAX_PATTERN_WILDCARDS;
import static io.juggler.config.JugglerConfig.MAX_PENDING_CALLS;
import static io.juggler.config.JugglerConfig.MAX_SUBSCRIPTIONS;
import static io.juggler.config.JugglerConfig.MAX_URI_BYTES;
import static io.juggler.config.JugglerConfig.OUTBOUND_BYTES;
import static io.juggler.config.JugglerConfig.OUTBOUND_QUEUE;
import static io.juggler.config.JugglerConfig.PING_INTERVAL;
import static io.juggler.config.JugglerConfig.RATE_BURST;
import static io.juggler.config.JugglerConfig.RATE_LIMIT;
import static io.juggler.config.JugglerConfig.READ_LIMIT;
import static io.juggler.config.JugglerConfig.REDIS_CLUSTER;
import static io.juggler.config.JugglerConfig.REDIS_POOL_SIZE;
import static io.juggler.config.JugglerConfig.REDIS_PUBSUB_CLUSTER;
import static io.juggler.config.JugglerConfig.REDIS_PUBSUB_URL;
import static io.juggler.config.JugglerConfig.REDIS_TIMEOUT;
import static io.juggler.config.JugglerConfig.REDIS_URL;
import static io.juggler.config.JugglerConfig.REGISTRY_INTERVAL;
import static io.juggler.config.JugglerConfig.REJECT_UNSERVED;
import static io.juggler.config.JugglerConfig.RESULT_CAPACITY;
import static io.juggler.config.JugglerConfig.RESULT_SHARDS;
import static io.juggler.config.JugglerConfig.RESUME_WINDOW;
import static io.juggler.config.JugglerConfig.SERVER_ENABLED;
import static io.juggler.config.JugglerConfig.TRUSTED_PROXIES;
import static io.juggler.config.JugglerConfig.WRITE_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.ConfigurationException;
import io.juggler.auth.AuthMode;
import io.juggler.broker.redis.RedisSettings;
import io.juggler.testing.Tokens;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JugglerConfigTest {

  private static JugglerConfig config(Map<String, String> values) {
    return JugglerConfig.from(key -> Optional.ofNullable(values.get(key)));
  }

  private static JugglerConfig config(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return config(m);
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    JugglerConfig c = config(Map.of());
    URI local = URI.create("redis://127.0.0.1:6379");
    assertEquals(List.of(local), c.redis().urls());
    assertEquals(List.of(local), c.redis().pubsubUrls());
    assertFalse(c.redis().cluster());
    assertEquals(32, c.redis().poolSize());
    assertEquals(Duration.ofSeconds(2), c.redis().timeout());
    assertEquals(10_000, c.calls().capacity());
    assertEquals(0, c.calls().resultCapacity());
    assertEquals(Duration.ofSeconds(60), c.calls().defaultTimeout());
    assertEquals(Duration.ofMinutes(5), c.calls().maxTimeout());
    assertEquals(65_536, c.calls().maxArgsBytes());
    assertTrue(c.server().enabled());
    assertEquals(1_048_576, c.server().readLimit());
    assertEquals(Duration.ofSeconds(10), c.server().writeTimeout());
    assertEquals(1024, c.server().outboundQueue());
    assertEquals(4 << 20, c.server().outboundBytes());
    assertEquals(256, c.limits().maxPendingCalls());
    assertEquals(512, c.limits().maxSubscriptions());
    assertEquals(32, c.limits().maxPatternSubscriptions());
    assertEquals(new NameLimits(256, 256, 4), c.limits().names());
    assertTrue(c.callee().errorDetails(), "the reference's error messages by default");
    assertEquals(10_000, c.limits().rate());
    assertEquals(20_000, c.limits().burst());
    assertEquals(List.of(), c.server().allowedOrigins());
    assertFalse(c.server().allowEmptySubprotocol());
    assertEquals(2, c.server().resultShards());
    assertEquals(Duration.ofSeconds(2), c.redis().blockingTimeout());
    assertEquals(Optional.empty(), c.server().closeUri());
    assertTrue(c.callee().enabled());
    assertFalse(c.callee().demoEnabled());
    assertEquals(8, c.callee().workers());
    assertEquals(Duration.ofSeconds(10), c.callee().shutdownGrace());
    assertEquals(Duration.ofSeconds(5), c.callee().lease());
    assertFalse(c.calls().rejectUnserved(), "fail-fast is opt-in (reference behaviour by default)");
    assertFalse(c.calls().admission(), "fail-fast is opt-in (reference behaviour by default)");
    assertFalse(c.redis().pubsubCluster());
  }

  @Test
  void pubsubClusterFollowsClusterUnlessSet() {
    assertTrue(config(Map.of(REDIS_CLUSTER, "true")).redis().pubsubCluster());
    assertFalse(
        config(
                Map.of(
                    REDIS_CLUSTER,
                    "true",
                    REDIS_PUBSUB_URL,
                    "redis://p:6379",
                    REDIS_PUBSUB_CLUSTER,
                    "false"))
            .redis()
            .pubsubCluster());
    assertFalse(config(Map.of(REDIS_PUBSUB_URL, "redis://p:6379")).redisSettings().pubsubCluster());
  }

  @Test
  void defaultsMatchTheDefaultsTable() {
    assertEquals(config(Map.of()), config(DEFAULTS));
  }

  @Test
  void defaultsTableListsEveryKey() {
    assertEquals(
        Set.of(
            REDIS_URL,
            REDIS_PUBSUB_URL,
            REDIS_CLUSTER,
            REDIS_PUBSUB_CLUSTER,
            REDIS_POOL_SIZE,
            REDIS_TIMEOUT,
            BLOCKING_TIMEOUT,
            CALL_CAPACITY,
            RESULT_CAPACITY,
            DEFAULT_CALL_TIMEOUT,
            MAX_CALL_TIMEOUT,
            MAX_CALL_ARGS_BYTES,
            MAX_URI_BYTES,
            REJECT_UNSERVED,
            CALL_ADMISSION,
            SERVER_ENABLED,
            READ_LIMIT,
            WRITE_TIMEOUT,
            PING_INTERVAL,
            OUTBOUND_QUEUE,
            OUTBOUND_BYTES,
            MAX_PENDING_CALLS,
            MAX_SUBSCRIPTIONS,
            MAX_PATTERN_SUBSCRIPTIONS,
            MAX_CHANNEL_BYTES,
            MAX_PATTERN_WILDCARDS,
            RATE_LIMIT,
            RATE_BURST,
            ALLOWED_ORIGINS,
            ALLOW_EMPTY_SUBPROTOCOL,
            RESULT_SHARDS,
            EVENT_THREADS,
            CLOSE_URI,
            RESUME_WINDOW,
            HISTORY_CHANNELS,
            HISTORY_MAX_REPLAY_BYTES,
            CALLEE_ENABLED,
            CALLEE_DEMO_ENABLED,
            CALLEE_WORKERS,
            CALLEE_ERROR_DETAILS,
            CALLEE_SHUTDOWN_GRACE,
            CALLEE_LEASE,
            REGISTRY_INTERVAL,
            ADMIN_USER,
            ADMIN_PASSWORD,
            ADMIN_TOKEN_ROLE,
            AUTH_MODE,
            AUTH_RULES,
            AUTH_QUERY_TOKEN,
            TRUSTED_PROXIES),
        DEFAULTS.keySet());
    assertThrows(UnsupportedOperationException.class, () -> DEFAULTS.put("x", "y"));
  }

  @Test
  void everySettingIsRead() {
    Map<String, String> m = new HashMap<>();
    m.put(REDIS_URL, "redis://r1:7000,rediss://r2:7001");
    m.put(REDIS_PUBSUB_URL, "redis://p:7002");
    m.put(REDIS_CLUSTER, "true");
    m.put(REDIS_POOL_SIZE, "5");
    m.put(REDIS_TIMEOUT, "750ms");
    m.put(BLOCKING_TIMEOUT, "5s");
    m.put(CALL_CAPACITY, "10000");
    m.put(RESULT_CAPACITY, "20");
    m.put(DEFAULT_CALL_TIMEOUT, "30s");
    m.put(SERVER_ENABLED, "false");
    m.put(READ_LIMIT, "0");
    m.put(WRITE_TIMEOUT, "1m");
    m.put(PING_INTERVAL, "0");
    m.put(OUTBOUND_QUEUE, "16");
    m.put(ALLOWED_ORIGINS, "https://a.example, https://b.example ,,");
    m.put(ALLOW_EMPTY_SUBPROTOCOL, "true");
    m.put(RESULT_SHARDS, "4");
    m.put(CLOSE_URI, "test.close");
    m.put(CALLEE_ENABLED, "false");
    m.put(CALLEE_DEMO_ENABLED, "true");
    m.put(CALLEE_WORKERS, "3");
    m.put(CALLEE_ERROR_DETAILS, "None");
    m.put(MAX_URI_BYTES, "100");
    m.put(MAX_CHANNEL_BYTES, "120");
    m.put(MAX_PATTERN_WILDCARDS, "0");
    m.put(MAX_PATTERN_SUBSCRIPTIONS, "7");
    m.put(CALLEE_SHUTDOWN_GRACE, "0");
    m.put(CALLEE_LEASE, "2s");
    m.put(REJECT_UNSERVED, "true");
    m.put(CALL_ADMISSION, "yes");
    m.put(REGISTRY_INTERVAL, "500ms");
    m.put(ADMIN_USER, "ops");
    m.put(ADMIN_PASSWORD, "correct horse");
    m.put(AUTH_MODE, "Required");
    m.put(AUTH_RULES, "CALL billing.* role:billing; SUB user.{name}.* authenticated;");
    m.put(AUTH_QUERY_TOKEN, "true");
    m.put(TRUSTED_PROXIES, "10.0.0.0/8, 192.168.0.1");
    JugglerConfig c = config(m);
    assertEquals(
        List.of(URI.create("redis://r1:7000"), URI.create("rediss://r2:7001")), c.redis().urls());
    assertEquals(List.of(URI.create("redis://p:7002")), c.redis().pubsubUrls());
    assertTrue(c.redis().cluster());
    assertEquals(5, c.redis().poolSize());
    assertEquals(Duration.ofMillis(750), c.redis().timeout());
    assertEquals(Duration.ofSeconds(5), c.redis().blockingTimeout());
    assertEquals(10_000, c.calls().capacity());
    assertEquals(20, c.calls().resultCapacity());
    assertEquals(Duration.ofSeconds(30), c.calls().defaultTimeout());
    assertFalse(c.server().enabled());
    assertEquals(0, c.server().readLimit());
    assertEquals(Duration.ofMinutes(1), c.server().writeTimeout());
    assertEquals(Duration.ZERO, c.server().pingInterval());
    assertEquals(16, c.server().outboundQueue());
    assertEquals(List.of("https://a.example", "https://b.example"), c.server().allowedOrigins());
    assertTrue(c.server().allowEmptySubprotocol());
    assertEquals(4, c.server().resultShards());
    assertEquals(Optional.of("test.close"), c.server().closeUri());
    assertFalse(c.callee().enabled());
    assertTrue(c.callee().demoEnabled());
    assertEquals(3, c.callee().workers());
    assertFalse(c.callee().errorDetails());
    assertEquals(new NameLimits(100, 120, 0), c.limits().names());
    assertEquals(7, c.limits().maxPatternSubscriptions());
    assertEquals(Duration.ZERO, c.callee().shutdownGrace());
    assertEquals(Duration.ofSeconds(2), c.callee().lease());
    assertTrue(c.calls().rejectUnserved());
    assertTrue(c.calls().admission());
    assertEquals(Duration.ofMillis(500), c.registryInterval());
    assertEquals("ops", c.admin().user());
    assertEquals(Optional.of("correct horse"), c.admin().password());
    assertTrue(c.admin().enabled());
    assertEquals(AuthMode.REQUIRED, c.auth().mode());
    assertEquals(
        "CALL billing.* role:billing; SUB user.{name}.* authenticated",
        c.auth().rules().toString());
    assertTrue(c.auth().queryToken());
    assertTrue(c.trustedProxies().trusts("10.1.1.1"));
    assertTrue(c.trustedProxies().trusts("192.168.0.1"));
  }

  @Test
  void aTokenRoleOpensTheConsoleOnlyWhereTokensCanBeChecked() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> config(ADMIN_TOKEN_ROLE, "ops"));
    assertTrue(e.getMessage().contains(ADMIN_TOKEN_ROLE), e.getMessage());
    JugglerConfig c =
        config(
            Map.of(
                ADMIN_TOKEN_ROLE,
                "ops",
                "mp.jwt.verify.publickey",
                Tokens.issuer("https://idp.test").publicKeyPem()));
    assertEquals(Optional.of("ops"), c.admin().tokenRole());
    assertTrue(c.admin().enabled(), "no password needed");
  }

  @Test
  void authenticationIsOffByDefault() {
    JugglerConfig c = config(Map.of());
    assertEquals(AuthMode.NONE, c.auth().mode());
    assertTrue(c.auth().rules().isEmpty());
    assertTrue(c.auth().tokens().isEmpty());
    assertEquals("Bearer", c.auth().tokenCookie());
    assertFalse(c.auth().queryToken());
    assertTrue(c.trustedProxies().isEmpty());
  }

  @Test
  void theConsoleIsDisabledUntilAPasswordIsSet() {
    JugglerConfig c = config(Map.of());
    assertFalse(c.admin().enabled());
    assertEquals("admin", c.admin().user());
    String d = c.describe(key -> Optional.empty());
    assertTrue(d.contains(ADMIN_PASSWORD + " = (unset: console disabled)"), d);
  }

  @Test
  void aShortAdminPasswordIsRefusedWithoutEchoingIt() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> config(ADMIN_PASSWORD, "s3cr3t"));
    assertTrue(e.getMessage().contains(ADMIN_PASSWORD), e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
  }

  @Test
  void describeMasksTheAdminPassword() {
    Map<String, String> m = Map.of(ADMIN_PASSWORD, "t0p-s3cret-pw");
    String d = config(m).describe(key -> Optional.ofNullable(m.get(key)));
    assertFalse(d.contains("t0p-s3cret-pw"), d);
    assertTrue(d.contains(ADMIN_PASSWORD + " = ***"), d);
  }

  @ParameterizedTest
  @CsvSource({
    "500ms, 500",
    "2s, 2000",
    "1m, 60000",
    "1h, 3600000",
    "PT2S, 2000",
    "pt0.5s, 500",
    "PT1M30S, 90000",
    "250, 250",
    "'  3s  ', 3000",
    "2S, 2000",
    "10 ms, 10"
  })
  void durationsAcceptUnitsIsoAndPlainMilliseconds(String value, long millis) {
    assertEquals(Duration.ofMillis(millis), config(WRITE_TIMEOUT, value).server().writeTimeout());
    assertEquals(Duration.ofMillis(millis), config(REDIS_TIMEOUT, value).redis().timeout());
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "TRUE", "True", "yes", "on", "1", " true "})
  void trueSpellings(String value) {
    assertTrue(config(REDIS_CLUSTER, value).redis().cluster());
  }

  @ParameterizedTest
  @ValueSource(strings = {"false", "FALSE", "no", "off", "0"})
  void falseSpellings(String value) {
    assertFalse(config(SERVER_ENABLED, value).server().enabled());
  }

  @Test
  void integersAreTrimmedAndBoundsAreInclusive() {
    assertEquals(16, config(REDIS_POOL_SIZE, " 16 ").redis().poolSize());
    assertEquals(1, config(REDIS_POOL_SIZE, "1").redis().poolSize());
    assertEquals(10_000, config(REDIS_POOL_SIZE, "10000").redis().poolSize());
    assertEquals(Integer.MAX_VALUE, config(READ_LIMIT, "2147483647").server().readLimit());
    assertEquals(64, config(RESULT_SHARDS, "64").server().resultShards());
    assertEquals(3, config(EVENT_THREADS, "3").server().effectiveEventThreads());
    assertEquals(
        Math.min(16, Runtime.getRuntime().availableProcessors()),
        config(EVENT_THREADS, "0").server().effectiveEventThreads());
    assertEquals(Duration.ofSeconds(1), config(BLOCKING_TIMEOUT, "1s").redis().blockingTimeout());
    assertEquals(Duration.ofSeconds(60), config(BLOCKING_TIMEOUT, "60s").redis().blockingTimeout());
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        // integers
        Arguments.of(REDIS_POOL_SIZE, "abc"),
        Arguments.of(REDIS_POOL_SIZE, "1.5"),
        Arguments.of(REDIS_POOL_SIZE, "0"),
        Arguments.of(REDIS_POOL_SIZE, "10001"),
        Arguments.of(REDIS_POOL_SIZE, "99999999999999999999"),
        Arguments.of(REDIS_POOL_SIZE, ""),
        Arguments.of(CALL_CAPACITY, "-1"),
        Arguments.of(RESULT_CAPACITY, "lots"),
        Arguments.of(READ_LIMIT, "2147483648"),
        Arguments.of(READ_LIMIT, "1MB"),
        Arguments.of(OUTBOUND_QUEUE, "0"),
        Arguments.of(RESULT_SHARDS, "65"),
        Arguments.of(EVENT_THREADS, "-1"),
        Arguments.of(EVENT_THREADS, "65"),
        Arguments.of(CALLEE_WORKERS, "1001"),
        Arguments.of(CALLEE_WORKERS, "0x10"),
        // booleans
        Arguments.of(REDIS_CLUSTER, "maybe"),
        Arguments.of(SERVER_ENABLED, "enabled"),
        Arguments.of(ALLOW_EMPTY_SUBPROTOCOL, "2"),
        Arguments.of(CALLEE_DEMO_ENABLED, ""),
        // durations
        Arguments.of(REDIS_TIMEOUT, "abc"),
        Arguments.of(REDIS_TIMEOUT, "0ms"),
        Arguments.of(REDIS_TIMEOUT, "-1s"),
        Arguments.of(REDIS_TIMEOUT, "1.5s"),
        Arguments.of(REDIS_TIMEOUT, "2d"),
        Arguments.of(REDIS_TIMEOUT, "1s500ms"),
        Arguments.of(DEFAULT_CALL_TIMEOUT, "soon"),
        Arguments.of(DEFAULT_CALL_TIMEOUT, ""),
        Arguments.of(WRITE_TIMEOUT, "P366D"),
        Arguments.of(PING_INTERVAL, "2h"),
        Arguments.of(MAX_CALL_TIMEOUT, "0"),
        Arguments.of(MAX_CALL_TIMEOUT, "2d"),
        Arguments.of(MAX_CALL_ARGS_BYTES, "0"),
        Arguments.of(OUTBOUND_BYTES, "100"),
        Arguments.of(MAX_PENDING_CALLS, "0"),
        Arguments.of(MAX_SUBSCRIPTIONS, "none"),
        Arguments.of(MAX_URI_BYTES, "0"),
        Arguments.of(MAX_CHANNEL_BYTES, "2000000"),
        Arguments.of(MAX_PATTERN_WILDCARDS, "-1"),
        Arguments.of(MAX_PATTERN_SUBSCRIPTIONS, "many"),
        Arguments.of(CALLEE_ERROR_DETAILS, "verbose"),
        Arguments.of(RATE_LIMIT, "-1"),
        Arguments.of(RATE_BURST, "0"),
        Arguments.of(PING_INTERVAL, "-1s"),
        Arguments.of(BLOCKING_TIMEOUT, "500ms"),
        Arguments.of(BLOCKING_TIMEOUT, "61s"),
        Arguments.of(CALLEE_SHUTDOWN_GRACE, "-PT1S"),
        Arguments.of(CALLEE_LEASE, "100ms"),
        Arguments.of(CALLEE_LEASE, "11m"),
        Arguments.of(REJECT_UNSERVED, "ture"),
        Arguments.of(CALL_ADMISSION, "maybe"),
        Arguments.of(REGISTRY_INTERVAL, "50ms"),
        Arguments.of(REGISTRY_INTERVAL, "61s"),
        Arguments.of(ADMIN_USER, ""),
        // authentication
        Arguments.of(AUTH_MODE, "sometimes"),
        Arguments.of(AUTH_RULES, "CALL billing.*"),
        Arguments.of(AUTH_RULES, "EXEC x anyone"),
        Arguments.of(AUTH_RULES, "CALL x somebody"),
        Arguments.of(AUTH_QUERY_TOKEN, "maybe"),
        Arguments.of(TRUSTED_PROXIES, "proxy.example.com"),
        // URLs
        Arguments.of(REDIS_URL, "http://localhost:6379"),
        Arguments.of(REDIS_URL, "redis://localhost"),
        Arguments.of(REDIS_URL, "localhost:6379"),
        Arguments.of(REDIS_URL, "redis://:6379"),
        Arguments.of(REDIS_URL, "redis://bad host:6379"),
        Arguments.of(REDIS_URL, "redis://localhost:port"),
        Arguments.of(REDIS_URL, ""),
        Arguments.of(REDIS_URL, " , "),
        Arguments.of(REDIS_PUBSUB_URL, "tcp://p:6380"),
        Arguments.of(REDIS_PUBSUB_URL, "redis://p"));
  }

  @ParameterizedTest(name = "{0} = ''{1}''")
  @MethodSource("badValues")
  void badValueNamesKeyAndValue(String key, String value) {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> config(key, value));
    String message = e.getMessage();
    assertTrue(message.contains(key), () -> "key missing from: " + message);
    assertTrue(message.contains(value.trim()), () -> "value missing from: " + message);
  }

  @Test
  void badBooleanIsReportedAsGiven() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> config(CALLEE_ENABLED, "Maybe"));
    assertTrue(e.getMessage().contains(CALLEE_ENABLED), e.getMessage());
    assertTrue(e.getMessage().contains("'Maybe'"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "99999999999999999999ms",
        "99999999999999999999",
        "9223372036854775807h",
        "9223372036854775807m",
        "9223372036854775807s"
      })
  void durationTooBigForJavaIsAConfigurationException(String value) {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> config(WRITE_TIMEOUT, value));
    assertTrue(e.getMessage().contains(WRITE_TIMEOUT), e.getMessage());
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"redis://a:7000,redis://b:7001", "redis://a:7000, redis://b:7001, redis://c:7002"})
  void severalRedisUrlsNeedCluster(String urls) {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> config(REDIS_URL, urls));
    assertTrue(e.getMessage().contains(REDIS_URL), e.getMessage());
    assertTrue(e.getMessage().contains(urls), e.getMessage());
    ConfigurationException explicit =
        assertThrows(
            ConfigurationException.class, () -> config(REDIS_URL, urls, REDIS_CLUSTER, "false"));
    assertTrue(explicit.getMessage().contains(REDIS_URL), explicit.getMessage());
  }

  @Test
  void severalPubSubUrlsNeedCluster() {
    String urls = "redis://p1:7000,redis://p2:7001";
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> config(REDIS_PUBSUB_URL, urls));
    assertTrue(e.getMessage().contains(REDIS_PUBSUB_URL), e.getMessage());
    assertTrue(e.getMessage().contains(urls), e.getMessage());
  }

  @Test
  void severalUrlsAreAcceptedInClusterMode() {
    JugglerConfig c =
        config(REDIS_URL, "redis://a:7000, redis://b:7001,,redis://c:7002", REDIS_CLUSTER, "true");
    List<URI> seeds =
        List.of(
            URI.create("redis://a:7000"),
            URI.create("redis://b:7001"),
            URI.create("redis://c:7002"));
    assertEquals(seeds, c.redis().urls());
    assertEquals(seeds, c.redis().pubsubUrls());
    assertTrue(c.redisSettings().cluster());
  }

  @Test
  void pubsubUrlDefaultsToTheRedisUrl() {
    JugglerConfig c = config(REDIS_URL, "rediss://user:pw@cache.example:6380");
    assertEquals(List.of(URI.create("rediss://user:pw@cache.example:6380")), c.redis().urls());
    assertEquals(c.redis().urls(), c.redis().pubsubUrls());
    assertFalse(c.redisSettings().separatePubSub());
    assertEquals(
        List.of(URI.create("redis://x:1")),
        config(REDIS_URL, "redis://x:1", REDIS_PUBSUB_URL, "").redis().pubsubUrls());
  }

  @Test
  void separatePubSubUrlIsKept() {
    JugglerConfig c = config(REDIS_URL, "redis://rpc:6379", REDIS_PUBSUB_URL, "redis://ps:6390");
    assertEquals(List.of(URI.create("redis://rpc:6379")), c.redis().urls());
    assertEquals(List.of(URI.create("redis://ps:6390")), c.redis().pubsubUrls());
    assertTrue(c.redisSettings().separatePubSub());
  }

  @Test
  void blankCloseUriMeansNone() {
    assertEquals(Optional.empty(), config(CLOSE_URI, "   ").server().closeUri());
    assertEquals(Optional.of("bye"), config(CLOSE_URI, " bye ").server().closeUri());
  }

  @Test
  void describeListsEveryKeyWithItsEffectiveValue() {
    Map<String, String> m = Map.of(REDIS_POOL_SIZE, "7", CLOSE_URI, "test.close");
    String d = config(m).describe(key -> Optional.ofNullable(m.get(key)));
    for (String key : DEFAULTS.keySet()) {
      assertTrue(d.contains(key + " = "), () -> key + " missing from " + d);
    }
    assertTrue(d.contains(REDIS_POOL_SIZE + " = 7"), d);
    assertTrue(d.contains(CLOSE_URI + " = test.close"), d);
    assertTrue(d.contains(REDIS_URL + " = redis://127.0.0.1:6379"), d);
    assertTrue(d.contains(WRITE_TIMEOUT + " = 10s"), d);
  }

  @Test
  void describeMasksPasswordsInUrls() {
    Map<String, String> m =
        Map.of(
            REDIS_URL,
            "redis://admin:s3cr3t@r1:7000,rediss://:t0ps3cret@r2:7001",
            REDIS_CLUSTER,
            "true",
            REDIS_PUBSUB_URL,
            "redis://default:pubsubpw@ps:6390");
    String d = config(m).describe(key -> Optional.ofNullable(m.get(key)));
    assertFalse(d.contains("s3cr3t"), d);
    assertFalse(d.contains("t0ps3cret"), d);
    assertFalse(d.contains("pubsubpw"), d);
    assertTrue(d.contains("redis://***@r1:7000"), d);
    assertTrue(d.contains("rediss://***@r2:7001"), d);
    assertTrue(d.contains("redis://***@ps:6390"), d);
  }

  @Test
  void describeLeavesUrlsWithoutCredentialsAlone() {
    Map<String, String> m = Map.of(REDIS_URL, "redis://r1:7000");
    String d = config(m).describe(key -> Optional.ofNullable(m.get(key)));
    assertTrue(d.contains(REDIS_URL + " = redis://r1:7000"), d);
    assertFalse(d.contains("***"), d);
  }

  @Test
  void redisSettingsCarryTheRedisValues() {
    JugglerConfig c =
        config(
            REDIS_URL, "redis://rpc:6379",
            REDIS_PUBSUB_URL, "redis://ps:6390",
            REDIS_POOL_SIZE, "12",
            REDIS_TIMEOUT, "1500ms",
            CALL_CAPACITY, "100",
            RESULT_CAPACITY, "50");
    RedisSettings s = c.redisSettings();
    assertEquals(List.of(URI.create("redis://rpc:6379")), s.rpc());
    assertEquals(List.of(URI.create("redis://ps:6390")), s.pubsub());
    assertFalse(s.cluster());
    assertEquals(12, s.poolSize());
    assertEquals(Duration.ofMillis(1500), s.timeout());
    assertEquals(100, s.callCapacity());
    assertEquals(50, s.resultCapacity());
  }

  @Test
  void theDefaultCallTimeoutMayNotExceedTheMaximum() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> config(DEFAULT_CALL_TIMEOUT, "10m", MAX_CALL_TIMEOUT, "5m"));
    assertTrue(e.getMessage().contains(DEFAULT_CALL_TIMEOUT), e.getMessage());
    assertTrue(e.getMessage().contains(MAX_CALL_TIMEOUT), e.getMessage());
    assertEquals(
        Duration.ofMinutes(10),
        config(DEFAULT_CALL_TIMEOUT, "10m", MAX_CALL_TIMEOUT, "1h").calls().defaultTimeout());
  }

  @Test
  void blockingConnectionsOutlastTheLongestBlock() {
    RedisSettings pops = config(BLOCKING_TIMEOUT, "30s", REDIS_TIMEOUT, "2s").redisSettings();
    assertEquals(Duration.ofSeconds(30), pops.longestBlock());
    assertEquals(Duration.ofSeconds(32), pops.blockingSocketTimeout());
    RedisSettings registry =
        config(BLOCKING_TIMEOUT, "2s", REGISTRY_INTERVAL, "45s").redisSettings();
    assertEquals(Duration.ofSeconds(45), registry.longestBlock());
  }

  @Test
  void theDefaultCallTimeoutIsTheProtocols() {
    assertEquals(
        Duration.ofMillis(io.juggler.message.Protocol.DEFAULT_CALL_TIMEOUT_MILLIS),
        config(Map.of()).calls().defaultTimeout());
  }

  @Test
  void credentialsAreMaskedInTheRedisDescription() {
    JugglerConfig c =
        config(REDIS_URL, "redis://:s3cr3t-pw@r:6379", REDIS_PUBSUB_URL, "redis://u:p4ss@p:6380");
    String d = c.describeRedis();
    assertFalse(d.contains("s3cr3t-pw"), d);
    assertFalse(d.contains("p4ss"), d);
    assertTrue(d.contains("redis://***@r:6379") && d.contains("redis://***@p:6380"), d);
  }

  @Test
  void resumeWindowIsTwoMinutesByDefaultZeroTurnsSessionsOffAndAnHourIsTheMost() {
    assertEquals(Duration.ofMinutes(2), config(Map.of()).server().resumeWindow());
    assertTrue(config(RESUME_WINDOW, "0").server().resumeWindow().isZero());
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> config(RESUME_WINDOW, "2h"));
    assertTrue(e.getMessage().contains(RESUME_WINDOW), e.getMessage());
  }

  @Test
  void historyRulesSayWhichChannelsKeepWhatAndBadOnesNameTheSetting() {
    History h = config(HISTORY_CHANNELS, "chat.* 1000 10m; orders.*.log 100 1h").history();
    assertEquals(
        new History.Rule("chat.*", 1000, Duration.ofMinutes(10)),
        h.forChannel("chat.room1").orElseThrow());
    assertEquals(100, h.forChannel("orders.7.log").orElseThrow().size());
    assertTrue(h.forChannel("orders.7").isEmpty());
    assertTrue(config(Map.of()).history().isEmpty());
    for (String bad :
        new String[] {
          "chat.*",
          "chat.* 0 1m",
          "chat.* 100001 1m",
          "chat.* 10 0s",
          "chat.* 10 200h",
          "chat.* x 1m"
        }) {
      ConfigurationException e =
          assertThrows(ConfigurationException.class, () -> config(HISTORY_CHANNELS, bad), bad);
      assertTrue(e.getMessage().contains(HISTORY_CHANNELS), e.getMessage());
    }
  }

  @Test
  void theReplayLimitHasAProtectingDefaultAndAFloor() {
    assertEquals(8 * 1024 * 1024, config(Map.of()).history().maxReplayBytes());
    assertEquals(100_000, config(HISTORY_MAX_REPLAY_BYTES, "100000").history().maxReplayBytes());
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> config(HISTORY_MAX_REPLAY_BYTES, "1000"));
    assertTrue(e.getMessage().contains(HISTORY_MAX_REPLAY_BYTES), e.getMessage());
  }
}
