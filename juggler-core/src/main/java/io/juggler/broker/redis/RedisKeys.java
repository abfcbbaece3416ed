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
 */
public final class RedisKeys {

  private static final String CALLS = "juggler:calls:{";
  private static final String RESULTS = "juggler:results:{";
  private static final String CALL_TIMEOUT = "juggler:calls:timeout:{";
  private static final String RESULT_TIMEOUT = "juggler:results:timeout:{";

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
