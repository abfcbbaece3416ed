package io.juggler.registry;

import java.time.Duration;
import java.util.List;

/**
 * Which instances make up the cluster, and what each says about itself: every instance publishes
 * its {@link InstanceState} every interval, and any instance's console reads them all. Also the
 * watch flags by which a console asks instances for the details they leave out otherwise.
 * Thread-safe; failures are reported as broker exceptions ({@code BrokerUnavailableException} when
 * Redis cannot be reached).
 */
public interface InstanceRegistry {

  /** An instance state lives this many of its publication intervals after its last write. */
  int TTL_INTERVALS = 3;

  /**
   * The least a publisher may be late before it counts as silent: a GC pause or a loaded machine's
   * scheduling delay is a matter of absolute time, not a fraction of the interval.
   */
  Duration LATE_AT_LEAST = Duration.ofSeconds(1);

  /**
   * How long after its last write an instance whose publication interval is {@code interval} counts
   * as silent: one interval plus half an interval of grace, the grace at least {@link
   * #LATE_AT_LEAST} but at most one interval. At the default 2 s interval that is 3 s (1.5
   * intervals): a live publisher may be 1 s late (a GC pause, a loaded 2-core machine) without
   * flapping, and a dead one is marked 3 s after its last write instead of disappearing after 6 s.
   * The 1 s floor matters for short intervals (500 ms: silent after 1 s rather than 750 ms); the
   * cap keeps a silent phase before the state expires ({@link #TTL_INTERVALS} intervals).
   */
  static Duration silentAfter(Duration interval) {
    Duration half = interval.dividedBy(2);
    Duration grace = half.compareTo(LATE_AT_LEAST) >= 0 ? half : LATE_AT_LEAST;
    return interval.plus(grace.compareTo(interval) <= 0 ? grace : interval);
  }

  /**
   * Publishes {@code state}, which expires after {@link #TTL_INTERVALS} of its {@link
   * InstanceState#intervalMillis} unless published again, and tells which details a console is
   * watching.
   *
   * @throws IllegalArgumentException if the state has no interval
   */
  Watched publish(InstanceState state);

  /** Removes an instance at once (when it stops), rather than waiting for its TTL. */
  void forget(String id);

  /**
   * Every instance whose state has not expired, ordered by id, each with how long ago it was
   * written and whether it is silent (see {@link RegisteredInstance}).
   */
  List<RegisteredInstance> instances();

  /**
   * Asks every instance for its connection list during the next {@code duration}.
   *
   * @return true when nobody was asking before: instances include the list from their next
   *     publication on, so a console that wants it now asks for one ({@link
   *     InstanceControl#requestPublication})
   */
  boolean watchConnections(Duration duration);

  /**
   * Asks every instance for its subscription counts during the next {@code duration}.
   *
   * @return true when nobody was asking before (see {@link #watchConnections})
   */
  boolean watchSubscriptions(Duration duration);

  /** Which details a console watches now. */
  Watched watched();

  /**
   * Which per-connection and per-channel details a console is looking at. Instances leave them out
   * of their state otherwise, so that thousands of connections or channels cost Redis nothing while
   * nobody watches (counts are always published).
   */
  record Watched(boolean connections, boolean subscriptions) {
    public static final Watched ALL = new Watched(true, true);
  }
}
