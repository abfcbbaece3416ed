package io.juggler.broker;

/**
 * One call or results list.
 *
 * @param key the Redis key ({@code juggler:calls:{uri}} or {@code juggler:results:{id}})
 * @param kind {@code calls} or {@code results}
 * @param name the URI (calls) or the connection or shard id (results)
 * @param depth entries waiting
 * @param oldestAgeMillis how long the oldest entry has waited, from its expiry key (-1 when its
 *     expiry key is gone: the entry has expired and will be dropped when popped)
 */
public record QueueInfo(String key, String kind, String name, long depth, long oldestAgeMillis) {

  public static final String CALLS = "calls";
  public static final String RESULTS = "results";
}
