package io.juggler.server;

import io.juggler.config.JugglerConfig;
import io.juggler.message.Message;
import io.juggler.message.Sub;

/**
 * {@code juggler.server.max-subscriptions}: a SUB that would give its connection more channels and
 * patterns than that gets NACK 429 (subscribing again to one it has is always fine).
 */
final class SubscriptionLimit implements Admission {

  private final int max;
  private final EventRouter events;
  private final ServerCounters counters;

  SubscriptionLimit(JugglerConfig config, EventRouter events, ServerCounters counters) {
    this.max = config.maxSubscriptions();
    this.events = events;
    this.counters = counters;
  }

  @Override
  public void admit(Connection c, Message request) {
    if (request instanceof Sub sub
        && events.subscriptionCount(c) >= max
        && !events.isSubscribed(c, sub.channel(), sub.pattern())) {
      counters.limitExceeded("max-subscriptions");
      throw new RequestRefusedException(
          429,
          "too many subscriptions on this connection: "
              + max
              + " ("
              + JugglerConfig.MAX_SUBSCRIPTIONS
              + ")");
    }
  }
}
