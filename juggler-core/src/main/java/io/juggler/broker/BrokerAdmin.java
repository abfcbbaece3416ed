package io.juggler.broker;

/**
 * The operator's side of the broker: whether Redis answers, which call and results lists hold
 * entries, and emptying one. Thread-safe; failures are reported as in {@link CallerBroker}.
 */
public interface BrokerAdmin {

  /** Checks that every Redis answers PING; throws {@link BrokerUnavailableException} if not. */
  void ping();

  /**
   * Finds the call and results lists in at most {@code maxRounds} scan round trips of {@code count}
   * keys each (every node of a cluster; never {@code KEYS}), with each list's depth and the age of
   * its oldest entry (from that entry's expiry key).
   */
  QueueScan queues(int count, int maxRounds);

  /**
   * Deletes a call or results list; returns how many entries it held. The expiry keys of its
   * entries are left to expire by themselves; waiting clients see their calls expire.
   *
   * @throws IllegalArgumentException if {@code key} is not a call or results list key
   */
  long purge(String key);
}
