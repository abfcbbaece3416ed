package io.juggler.registry;

import java.util.List;
import java.util.Map;

/**
 * One instance's state as it publishes it every {@code juggler.registry.interval} (JSON in Redis
 * with a time-to-live of three intervals: an instance that dies disappears by itself; readers mark
 * it silent sooner, see {@link RegisteredInstance}).
 *
 * @param id random id of this instance (host name and a random suffix)
 * @param host host name
 * @param startedAt epoch milliseconds
 * @param publishedAt epoch milliseconds of this publication (the publisher's clock: for display,
 *     never for judging whether the instance is alive, see {@link RegisteredInstance})
 * @param intervalMillis the publisher's {@code juggler.registry.interval}: it publishes again
 *     within this, and the state lives three of them (0 from an instance of an earlier version)
 * @param server whether the websocket server role runs
 * @param callee whether callee workers run
 * @param connectionCount live connections (may exceed {@code connections}, which is capped)
 * @param connections live connections, at most {@link #MAX_CONNECTIONS}, and only while a console
 *     shows them (empty otherwise)
 * @param pendingCalls calls waiting for a result on this instance
 * @param subscriptions local subscriber counts per channel or pattern, only while a console shows
 *     them
 * @param counters cumulative counters since start (names in {@link Counters})
 * @param latencyP99Micros p99 of the most recent call latencies (CALL received to RES queued)
 * @param uris the URIs this instance's callees serve
 */
public record InstanceState(
    String id,
    String host,
    long startedAt,
    long publishedAt,
    long intervalMillis,
    boolean server,
    boolean callee,
    int connectionCount,
    List<ConnectionInfo> connections,
    int pendingCalls,
    List<SubscriptionCount> subscriptions,
    Map<String, Long> counters,
    long latencyP99Micros,
    List<UriStats> uris) {

  /** Connections listed per instance; the count is always exact. */
  public static final int MAX_CONNECTIONS = 2_000;

  /** Channels and patterns listed per instance. */
  public static final int MAX_SUBSCRIPTIONS = 2_000;

  /** Characters kept of text a client chose (a user agent) in a published connection. */
  public static final int MAX_TEXT = 256;

  public long counter(String name) {
    Long v = counters == null ? null : counters.get(name);
    return v == null ? 0 : v;
  }

  /**
   * One live websocket connection.
   *
   * @param remoteAddress the client's address: the TCP peer's, or the one a trusted proxy forwarded
   * @param user the authenticated principal's name, empty for an anonymous client (null from an
   *     instance of an earlier version)
   */
  public record ConnectionInfo(
      String id,
      String remoteAddress,
      String userAgent,
      long connectedAt,
      long messagesIn,
      long messagesOut,
      int pendingCalls,
      int subscriptions,
      String user) {}

  /** Local subscribers of one channel or pattern. */
  public record SubscriptionCount(String name, boolean pattern, int subscribers) {}

  /**
   * One URI served by this instance's callees.
   *
   * @param workers worker tasks taking calls for it (shared with the URIs of its slot group)
   * @param calls calls run since start
   * @param failed calls whose function threw, or whose result could not be stored
   * @param expired calls whose time ran out while the function ran
   * @param meanMicros mean service time of the most recent calls
   * @param p99Micros p99 service time of the most recent calls
   */
  public record UriStats(
      String uri,
      int workers,
      long calls,
      long failed,
      long expired,
      long meanMicros,
      long p99Micros) {}

  /** Names of {@link #counters}. */
  public static final class Counters {
    private Counters() {}

    public static final String CALLS = "calls";
    public static final String PUBS = "pubs";
    public static final String SUBS = "subs";
    public static final String RESULTS = "results";
    public static final String EVENTS = "events";
    public static final String NACKS = "nacks";
    public static final String CONNECTIONS = "connections";
    public static final String REDIS_ERRORS = "redisErrors";
    public static final String AUTH_REFUSED = "authRefused";
    public static final String LATENCY_COUNT = "latencyCount";
    public static final String LATENCY_SUM_MICROS = "latencySumMicros";

    /** Resumable sessions given to clients that asked (after a refused token too). */
    public static final String SESSIONS_CREATED = "sessionsCreated";

    /** Sessions resumed with their token. */
    public static final String SESSIONS_RESUMED = "sessionsResumed";

    /** Session tokens refused at the handshake: expired, invalid or another identity's. */
    public static final String SESSIONS_REFUSED = "sessionsRefused";

    /** Results of a session's calls delivered on its connection after a resume or a forward. */
    public static final String SESSION_RESULTS_RESUMED = "sessionResultsResumed";

    /** Results of a session's calls dropped: the session was gone (or had too many parked). */
    public static final String SESSION_RESULTS_DROPPED = "sessionResultsDropped";

    /** SUBs that asked to recover and got every missed event. */
    public static final String RECOVERIES_RECOVERED = "recoveriesRecovered";

    /** SUBs that asked to recover and could not: the epoch changed or the history was gone. */
    public static final String RECOVERIES_NOT_RECOVERABLE = "recoveriesNotRecoverable";

    /** Missed events replayed to recovering subscribers. */
    public static final String EVENTS_REPLAYED = "eventsReplayed";

    /** Calls their clients cancelled while queued. */
    public static final String CANCELLED_QUEUED = "cancelledQueued";

    /** Calls their clients cancelled while a callee ran them. */
    public static final String CANCELLED_RUNNING = "cancelledRunning";
  }
}
