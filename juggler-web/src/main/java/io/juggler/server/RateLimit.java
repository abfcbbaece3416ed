package io.juggler.server;

import io.juggler.config.JugglerConfig;
import io.juggler.message.Message;

/**
 * {@code juggler.server.rate-limit} and {@code rate-burst}: each connection may send that many
 * requests per second on average, with bursts up to the burst size; a request over it gets NACK 429
 * and is not carried out (it still counts as answered). Off when the rate is 0.
 */
final class RateLimit implements Admission {

  static final String NAME = "rate";

  private final int rate;
  private final int burst;
  private final ServerCounters counters;

  RateLimit(JugglerConfig config, ServerCounters counters) {
    this.rate = config.limits().rate();
    this.burst = config.limits().burst();
    this.counters = counters;
  }

  /** A new connection's bucket, full; null when there is no limit. */
  TokenBucket bucket() {
    return rate == 0 ? null : new TokenBucket(rate, burst, System.nanoTime());
  }

  @Override
  public void admit(Connection c, Message request) {
    TokenBucket b = c.rateBucket();
    if (b != null && !b.tryTake(System.nanoTime())) {
      counters.limitExceeded(NAME);
      throw new RequestRefusedException(
          429,
          "rate limit: more than "
              + rate
              + " messages/s (burst "
              + burst
              + ") on this connection ("
              + JugglerConfig.RATE_LIMIT
              + ")");
    }
  }
}
