package io.juggler.broker.redis;

/**
 * Key names of the Redis layout (spec section 6.1), a compatibility contract with every juggler
 * server and callee. The braces are Redis Cluster hash tags: a list and its expiry keys always
 * share a slot, so the register and take scripts touch one slot only. Calls are sharded by URI,
 * results by connection id.
 */
public final class RedisKeys {

  private RedisKeys() {}

  /** {@code juggler:calls:{<uri>}}: the list of calls queued for {@code uri}. */
  public static String calls(String uri) {
    return "juggler:calls:{" + uri + "}";
  }

  /** {@code juggler:calls:timeout:{<uri>}:<msg uuid>}: expires when the caller gives up. */
  public static String callTimeout(String uri, String msgUuid) {
    return "juggler:calls:timeout:{" + uri + "}:" + msgUuid;
  }

  /** {@code juggler:results:{<conn uuid>}}: the list of results for one connection id. */
  public static String results(String connUuid) {
    return "juggler:results:{" + connUuid + "}";
  }

  /** {@code juggler:results:timeout:{<conn uuid>}:<msg uuid>}: expires with the call. */
  public static String resultTimeout(String connUuid, String msgUuid) {
    return "juggler:results:timeout:{" + connUuid + "}:" + msgUuid;
  }
}
