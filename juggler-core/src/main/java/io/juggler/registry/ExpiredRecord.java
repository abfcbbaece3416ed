package io.juggler.registry;

import java.util.List;
import java.util.Map;

/**
 * The cluster-wide record of calls that expired: counts by stage and the most recent calls, which
 * every instance adds to and any console reads. Thread-safe; failures are reported as broker
 * exceptions.
 */
public interface ExpiredRecord {

  /** Recent expired calls kept cluster-wide. */
  int RECENT_EXPIRED = 200;

  /**
   * Adds {@code byStage} to the cluster-wide counts and {@code recent} (oldest first; only the last
   * {@link #RECENT_EXPIRED} matter) to the recent list.
   */
  void recordExpired(Map<String, Long> byStage, List<ExpiredCall> recent);

  /** Cluster-wide expired calls by stage (every stage of {@link ExpiredCall.Stage#ALL}). */
  Map<String, Long> expiredCounts();

  /** The most recent expired calls, newest first. */
  List<ExpiredCall> recentExpired(int max);
}
