package io.juggler.broker;

/**
 * What the broker counts (spec section 9.2). Every method defaults to a no-op; the web module
 * implements it on MicroProfile Metrics. Implementations must be thread-safe and cheap: they are
 * called on hot paths.
 */
public interface BrokerMetrics {

  BrokerMetrics NONE = new BrokerMetrics() {};

  /** A popped call had expired before a callee took it. */
  default void expiredCall(String uri, String msgUuid) {}

  /** A popped call had been cancelled by its client before a callee took it. */
  default void cancelledCall(String uri, String msgUuid) {}

  /** A popped call payload was not valid JSON of the call shape. */
  default void invalidCallPayload() {}

  /** A popped result had expired before the server could deliver it. */
  default void expiredResult(String uri, String msgUuid) {}

  /** A popped result payload was not valid JSON of the result shape. */
  default void invalidResultPayload() {}

  /** Data received on a subscribed channel was not a publication payload. */
  default void invalidEventPayload() {}

  /** A Redis command failed (any role). */
  default void redisError() {}
}
