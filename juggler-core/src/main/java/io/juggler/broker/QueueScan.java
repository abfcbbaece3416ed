package io.juggler.broker;

import java.util.List;

/**
 * The call and results lists found by one bounded scan.
 *
 * @param queues the lists with entries, by kind, then deepest first
 * @param complete false when the scan stopped at its budget of round trips before seeing every key
 * @param rounds scan round trips made
 */
public record QueueScan(List<QueueInfo> queues, boolean complete, int rounds) {

  public QueueScan {
    queues = List.copyOf(queues);
  }
}
