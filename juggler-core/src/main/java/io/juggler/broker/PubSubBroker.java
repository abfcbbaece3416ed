package io.juggler.broker;

import io.juggler.message.PubPayload;
import java.util.concurrent.ThreadFactory;

/** Pub-sub over Redis channels, shared with any other juggler server. Thread-safe. */
public interface PubSubBroker {

  /** Publishes {@code payload} on {@code channel}; succeeds whether or not anyone listens. */
  void publish(String channel, PubPayload payload);

  /**
   * Opens the one multiplexed subscription of this server: a dedicated Redis connection served by a
   * thread from {@code threads}, delivering every event to {@code listener}. It reconnects with
   * back-off after Redis failures and re-subscribes what was subscribed. The caller closes it.
   */
  EventSubscriber openSubscriber(EventListener listener, ThreadFactory threads);
}
