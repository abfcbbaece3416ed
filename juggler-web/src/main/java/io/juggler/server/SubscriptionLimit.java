package io.juggler.server;

import io.juggler.config.JugglerConfig;
import io.juggler.message.Message;
import io.juggler.message.Sub;

/**
 * {@code juggler.server.max-subscriptions}: a SUB that would give its connection more channels and
 * patterns than that gets NACK 429; {@code juggler.server.max-pattern-subscriptions} bounds the
 * patterns among them the same way (Redis matches every pattern against the channel of every
 * PUBLISH, so each costs every publisher). Subscribing again to one it has is always fine.
 */
final class SubscriptionLimit implements Admission {

  private final int max;
  private final int maxPatterns;
  private final EventRouter events;
  private final ServerCounters counters;

  SubscriptionLimit(JugglerConfig config, EventRouter events, ServerCounters counters) {
    this.max = config.limits().maxSubscriptions();
    this.maxPatterns = config.limits().maxPatternSubscriptions();
    this.events = events;
    this.counters = counters;
  }

  @Override
  public void admit(Connection c, Message request) {
    if (!(request instanceof Sub sub) || events.isSubscribed(c, sub.channel(), sub.pattern())) {
      return;
    }
    if (events.subscriptionCount(c) >= max) {
      refuse("too many subscriptions", max, JugglerConfig.MAX_SUBSCRIPTIONS, "max-subscriptions");
    }
    if (sub.pattern() && events.patternCount(c) >= maxPatterns) {
      refuse(
          "too many pattern subscriptions",
          maxPatterns,
          JugglerConfig.MAX_PATTERN_SUBSCRIPTIONS,
          "max-pattern-subscriptions");
    }
  }

  private void refuse(String what, int max, String setting, String limit) {
    counters.limitExceeded(limit);
    throw new RequestRefusedException(
        429, what + " on this connection: " + max + " (" + setting + ")");
  }
}
