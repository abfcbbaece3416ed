package io.juggler.broker;

import io.juggler.message.PubPayload;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/** Pub-sub over Redis channels, shared with any other juggler server. Thread-safe. */
public interface PubSubBroker {

  /** Publishes {@code payload} on {@code channel}; succeeds whether or not anyone listens. */
  void publish(String channel, PubPayload payload);

  /**
   * Publishes {@code payload} on {@code channel}, a channel that keeps a history of its last {@code
   * size} events younger than {@code age} (issue 23): the event is kept and published with its
   * offset and epoch, atomically. Returns it so placed.
   */
  PubPayload publishWithHistory(String channel, PubPayload payload, int size, Duration age);

  /**
   * The events of {@code channel}'s history after {@code offset} of {@code epoch}, at most {@code
   * max} of them (more missed: {@link HistoryRead.Status#HISTORY_GONE}), none older than {@code
   * age}, at most {@code maxBytes} of them together (more: {@link HistoryRead.Status#TOO_LARGE}).
   */
  HistoryRead readHistory(
      String channel, long offset, String epoch, int max, Duration age, int maxBytes);

  /**
   * Opens the one multiplexed subscription of this server: a dedicated Redis connection served by a
   * thread from {@code threads}, delivering every event to {@code listener}. It reconnects with
   * back-off after Redis failures and re-subscribes what was subscribed. The caller closes it.
   */
  EventSubscriber openSubscriber(EventListener listener, ThreadFactory threads);
}
