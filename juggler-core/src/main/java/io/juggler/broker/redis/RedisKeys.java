package io.juggler.broker.redis;

import io.juggler.message.Uuids;

/**
 * Every Redis key and channel name Juggler EE uses, and nowhere else (scripts get them through
 * KEYS, or a prefix through ARGV where a script derives keys from what it pops).
 *
 * <p><b>The compatibility layout (spec section 6.1)</b>, a contract with every juggler server and
 * callee: {@link #calls}, {@link #callTimeout}, {@link #results}, {@link #resultTimeout}. The
 * braces are Redis Cluster hash tags: a list and its expiry keys always share a slot, so the
 * register and take scripts touch one slot only. Calls are sharded by URI, results by connection
 * id.
 *
 * <p><b>Juggler EE's own keys</b>, outside that layout (other juggler programs never read them):
 * the cluster registry under {@link #REGISTRY_PREFIX} (one hash tag, {@code {juggler.registry}}, so
 * that multi-key commands over it stay on one slot), and each server's private pub-sub control
 * channel ({@link #controlChannel}).
 *
 * <p><b>At-least-once calls</b> (only for URIs whose function declares it; at-most-once URIs use
 * the compatibility layout alone): {@link #processing}, {@link #leases}, {@link #callAttempts}.
 * They carry the URI's hash tag, so they share the slot of its call list and expiry keys.
 */
public final class RedisKeys {

  private static final String CALLS = "juggler:calls:{";
  private static final String RESULTS = "juggler:results:{";
  private static final String CALL_TIMEOUT = "juggler:calls:timeout:{";
  private static final String RESULT_TIMEOUT = "juggler:results:timeout:{";
  private static final String SESSION = "juggler:session:{";
  private static final String SESSION_RESULTS = "juggler:session:results:{";
  private static final String SESSION_CALLS = "juggler:session:calls:{";
  private static final String SESSION_HELD = "juggler:session:held:{";
  private static final String CALLS_PROCESSING = "juggler:calls:processing:{";
  private static final String CALLS_LEASES = "juggler:calls:leases:{";
  private static final String CALL_ATTEMPTS = "juggler:calls:attempts:{";
  private static final String CALL_CANCELLED = "juggler:calls:cancelled:{";

  /** Matches every key of the compatibility layout and of the registry (for SCAN). */
  public static final String ALL = "juggler:*";

  /** Prefix of every registry key. */
  public static final String REGISTRY_PREFIX = "juggler:registry:{juggler.registry}:";

  /** Sorted set: instance id scored by the epoch milliseconds of its last publication. */
  public static final String REGISTRY_INSTANCES = REGISTRY_PREFIX + "instances";

  /** Hash: expiry stage to count, cluster-wide. */
  public static final String REGISTRY_EXPIRED = REGISTRY_PREFIX + "expired";

  /** List: the most recent expired calls, newest first. */
  public static final String REGISTRY_EXPIRED_RECENT = REGISTRY_PREFIX + "expired:recent";

  /** List: console actions, newest first. */
  public static final String REGISTRY_AUDIT = REGISTRY_PREFIX + "audit";

  public static final String REGISTRY_AUDIT_REFUSED = REGISTRY_PREFIX + "audit:refused";

  /** String with a TTL: set while a console shows connection lists. */
  public static final String REGISTRY_WATCH_CONNECTIONS = REGISTRY_PREFIX + "watch:connections";

  /** String with a TTL: set while a console shows subscription counts. */
  public static final String REGISTRY_WATCH_SUBSCRIPTIONS = REGISTRY_PREFIX + "watch:subscriptions";

  private RedisKeys() {}

  /** {@code juggler:calls:{<uri>}}: the list of calls queued for {@code uri}. */
  public static String calls(String uri) {
    return CALLS + uri + "}";
  }

  /** {@code juggler:calls:timeout:{<uri>}:<msg uuid>}: expires when the caller gives up. */
  public static String callTimeout(String uri, String msgUuid) {
    return CALL_TIMEOUT + uri + "}:" + msgUuid;
  }

  /** {@code juggler:results:{<conn uuid>}}: the list of results for one connection id. */
  public static String results(String connUuid) {
    return RESULTS + connUuid + "}";
  }

  /** {@code juggler:results:timeout:{<conn uuid>}:<msg uuid>}: expires with the call. */
  public static String resultTimeout(String connUuid, String msgUuid) {
    return RESULT_TIMEOUT + connUuid + "}:" + msgUuid;
  }

  /**
   * {@code juggler:calls:processing:{<uri>}:<owner>}: the list of at-least-once calls one callee
   * worker ({@code owner}: instance id and worker number) has taken and not yet finished. Calls
   * move here from {@link #calls} with {@code LMOVE}/{@code BLMOVE}; a reaper moves them back when
   * the owner's lease ({@link #leases}) has expired.
   */
  public static String processing(String uri, String owner) {
    return CALLS_PROCESSING + uri + "}:" + owner;
  }

  /**
   * {@code juggler:calls:leases:{<uri>}}: sorted set of the owners of processing lists of {@code
   * uri}, each scored by the end of its lease (Redis time, epoch milliseconds).
   */
  public static String leases(String uri) {
    return CALLS_LEASES + uri + "}";
  }

  /**
   * {@code juggler:calls:attempts:{<uri>}:<msg uuid>}: how often an at-least-once call was handed
   * to a function; expires with the call.
   */
  public static String callAttempts(String uri, String msgUuid) {
    return CALL_ATTEMPTS + uri + "}:" + msgUuid;
  }

  /**
   * {@code juggler:calls:cancelled:{<uri>}:<msg uuid>}: set when a client cancels its queued call
   * (cancel.lua), so that the callee popping it counts it as cancelled; lives as long as the call
   * would have.
   */
  public static String callCancelled(String uri, String msgUuid) {
    return CALL_CANCELLED + uri + "}:" + msgUuid;
  }

  /** The part of a cancel marker before its URI: {@code juggler:calls:cancelled:{}. */
  static String cancelledPrefix() {
    return CALL_CANCELLED;
  }

  /** The part of an attempts key before its URI: {@code juggler:calls:attempts:{}. */
  static String attemptsPrefix() {
    return CALL_ATTEMPTS;
  }

  /**
   * The part of an expiry key before its owner (URI or connection id): {@code
   * juggler:calls:timeout:{} or {@code juggler:results:timeout:{}. take-next.lua builds the expiry
   * keys of the entries it pops from it.
   */
  static String timeoutPrefix(boolean calls) {
    return calls ? CALL_TIMEOUT : RESULT_TIMEOUT;
  }

  /** Whether {@code key} is a call list ({@code juggler:calls:{...}}). */
  public static boolean isCallList(String key) {
    return key.startsWith(CALLS) && key.endsWith("}");
  }

  /** Whether {@code key} is a results list ({@code juggler:results:{...}}). */
  public static boolean isResultsList(String key) {
    return key.startsWith(RESULTS) && key.endsWith("}");
  }

  /** The URI or connection id of a call or results list; the key itself for any other key. */
  public static String ownerOf(String list) {
    if (isCallList(list)) {
      return list.substring(CALLS.length(), list.length() - 1);
    }
    if (isResultsList(list)) {
      return list.substring(RESULTS.length(), list.length() - 1);
    }
    return list;
  }

  /**
   * {@code juggler:session:{<id>}}: hash of one resumable session (secret, who, owner); lives for
   * its window after its connection went away.
   */
  public static String session(String id) {
    return SESSION + id + "}";
  }

  /** {@code juggler:session:results:{<id>}}: results parked for a session while it is away. */
  public static String sessionResults(String id) {
    return SESSION_RESULTS + id + "}";
  }

  /** {@code juggler:session:recent:{<id>}}: results delivered to a session's connection lately. */
  public static String sessionRecent(String id) {
    return "juggler:session:recent:{" + id + "}";
  }

  /**
   * {@code juggler:session:calls:{<shard>}}: hash from CALL uuid to the session that made it, for
   * the calls whose results come to {@link #results} of {@code shard} (same hash tag).
   */
  public static String sessionCalls(String shard) {
    return SESSION_CALLS + shard + "}";
  }

  /** The part of a bindings key before its shard: {@code juggler:session:calls:{}. */
  static String sessionCallsPrefix() {
    return SESSION_CALLS;
  }

  /**
   * {@code juggler:session:held:{<shard>}}: hash from CALL uuid to a session-bound result a server
   * has taken from {@link #results} of {@code shard} and not yet settled (delivered and remembered,
   * parked or forwarded); adopted with the shard should that server die first.
   */
  public static String sessionHeld(String shard) {
    return SESSION_HELD + shard + "}";
  }

  /** The part of a held-results key before its shard: {@code juggler:session:held:{}. */
  static String sessionHeldPrefix() {
    return SESSION_HELD;
  }

  /** The part of a result's expiry key before its uuid, on one shard. */
  static String resultTimeoutPrefix(String shard) {
    return RESULT_TIMEOUT + shard + "}:";
  }

  /**
   * The pub-sub channel on which servers tell callees that a call they may be running was cancelled
   * (publications for no client: {@code PubPayload.NOBODY}).
   */
  public static final String CANCELS = "juggler:cancels";

  /**
   * {@code juggler:history:{<channel>}}: the stream of a channel's kept events (issue 23), on the
   * pub-sub Redis.
   */
  public static String history(String channel) {
    return "juggler:history:{" + channel + "}";
  }

  /** {@code juggler:history:meta:{<channel>}}: the epoch and last offset of a channel's history. */
  public static String historyMeta(String channel) {
    return "juggler:history:meta:{" + channel + "}";
  }

  /** Sorted set of every server's result shards scored by their last heartbeat. */
  public static final String SESSION_SHARDS = "juggler:session:shards";

  /** String with a TTL: one instance's published state. */
  public static String registryInstance(String instanceId) {
    return REGISTRY_PREFIX + "instance:" + instanceId;
  }

  /** List: commands for one instance (e.g. disconnect a connection). */
  public static String registryControl(String instanceId) {
    return REGISTRY_PREFIX + "control:" + instanceId;
  }

  /**
   * A fresh private channel for one server's subscription connection: the first thing it subscribes
   * to, whose confirmation tells that the connection is up. Random, so that no client can guess it
   * (clients may PUB on any channel).
   */
  public static String controlChannel() {
    return "juggler:instance:" + Uuids.random() + ":control";
  }
}
