package io.juggler.broker.redis;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How to reach Redis.
 *
 * @param rpc nodes used for calls and results (one URL, or cluster seed nodes)
 * @param pubsub nodes used for pub-sub; the same as {@code rpc} when no separate Redis is set
 * @param cluster whether the RPC nodes are Redis Cluster nodes
 * @param poolSize maximum pooled connections for short commands, per Redis
 * @param timeout connect and socket timeout of short commands
 * @param longestBlock the longest a blocking command of this application waits (a pop of a pump or
 *     worker, the registry's wait for commands)
 * @param callCapacity maximum entries of one call list (0 = unlimited)
 * @param resultCapacity maximum entries of one results list (0 = unlimited)
 * @param pubsubCluster whether the pub-sub nodes are Redis Cluster nodes
 */
public record RedisSettings(
    List<URI> rpc,
    List<URI> pubsub,
    boolean cluster,
    int poolSize,
    Duration timeout,
    Duration longestBlock,
    int callCapacity,
    int resultCapacity,
    boolean pubsubCluster) {

  /** One standalone Redis for everything, with defaults. */
  public static RedisSettings standalone(URI url) {
    return new RedisSettings(
        List.of(url),
        List.of(url),
        false,
        16,
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        0,
        0,
        false);
  }

  public boolean separatePubSub() {
    return !pubsub.equals(rpc);
  }

  /**
   * The socket timeout of connections that block: the longest block plus the timeout of a short
   * command, so that a pop that waited its full time still gets its (empty) answer.
   */
  public Duration blockingSocketTimeout() {
    return longestBlock.plus(timeout);
  }

  public RedisSettings withCapacities(int calls, int results) {
    return new RedisSettings(
        rpc, pubsub, cluster, poolSize, timeout, longestBlock, calls, results, pubsubCluster);
  }
}
