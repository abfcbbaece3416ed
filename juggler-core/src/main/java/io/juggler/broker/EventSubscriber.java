package io.juggler.broker;

import java.util.concurrent.CompletableFuture;

/**
 * A server's single Redis subscription connection, shared by all its websocket connections.
 * Subscriptions are reference counted: the first {@link #subscribe} of a name sends SUBSCRIBE (or
 * PSUBSCRIBE), the last {@link #unsubscribe} sends UNSUBSCRIBE. Thread-safe. Closing it ends all
 * subscriptions and stops its thread.
 */
public interface EventSubscriber extends AutoCloseable {

  /**
   * Adds one reference to {@code name}. The future completes when Redis has confirmed the
   * subscription, or fails with {@link BrokerUnavailableException} while Redis is unreachable (in
   * which case no reference was added).
   */
  CompletableFuture<Void> subscribe(String name, boolean pattern);

  /** Removes one reference to {@code name}; a name with no references is ignored. */
  void unsubscribe(String name, boolean pattern);

  /** True while the subscription connection is up. */
  boolean isConnected();

  @Override
  void close();
}
