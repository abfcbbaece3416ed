package io.juggler.broker;

import io.juggler.message.PubPayload;

/** Receives what an {@link EventSubscriber} reads. Called on the subscriber's thread only. */
public interface EventListener {

  /**
   * An event published on {@code channel}; {@code pattern} is the matching pattern for a pattern
   * subscription, else null. Must not block.
   */
  void onEvent(String channel, String pattern, PubPayload payload);

  /** The subscription connection was lost ({@code cause}) or restored ({@code cause == null}). */
  default void onConnectionChange(boolean connected, Throwable cause) {}
}
