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
 * @param blockingPoolSize maximum connections for blocking pops (one per pump or worker)
 * @param timeout connect and socket timeout of short commands
 * @param callCapacity maximum entries of one call list (0 = unlimited)
 * @param resultCapacity maximum entries of one results list (0 = unlimited)
 * @param pubsubCluster whether the pub-sub nodes are Redis Cluster nodes
 */
public record RedisSettings(
    List<URI> rpc,
    List<URI> pubsub,
    boolean cluster,
    int poolSize,
    int blockingPoolSize,
    Duration timeout,
    int callCapacity,
    int resultCapacity,
    boolean pubsubCluster) {

  /** Settings whose pub-sub Redis is of the same kind (standalone or cluster) as the RPC one. */
  public RedisSettings(
      List<URI> rpc,
      List<URI> pubsub,
      boolean cluster,
      int poolSize,
      int blockingPoolSize,
      Duration timeout,
      int callCapacity,
      int resultCapacity) {
    this(
        rpc,
        pubsub,
        cluster,
        poolSize,
        blockingPoolSize,
        timeout,
        callCapacity,
        resultCapacity,
        cluster);
  }

  /** One standalone Redis for everything, with defaults. */
  public static RedisSettings standalone(URI url) {
    return new RedisSettings(
        List.of(url), List.of(url), false, 16, 16, Duration.ofSeconds(2), 0, 0);
  }

  public boolean separatePubSub() {
    return !pubsub.equals(rpc);
  }

  public RedisSettings withCapacities(int calls, int results) {
    return new RedisSettings(
        rpc, pubsub, cluster, poolSize, blockingPoolSize, timeout, calls, results, pubsubCluster);
  }
}
