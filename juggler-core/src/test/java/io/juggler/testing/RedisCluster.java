package io.juggler.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * A real local Redis Cluster of {@value #MASTERS} masters and no replicas, each a {@link
 * RedisProcess} on 127.0.0.1 with its own free port (its bus port is port + 10000). The slots are
 * split as redis-cli does (0-5460, 5461-10922, 10923-16383) with CLUSTER ADDSLOTS, so Redis 6.2
 * works too; {@link #start()} returns only when every node reports {@code cluster_state:ok} and
 * sees the {@value #MASTERS} masters, within {@link #FORMATION_TIMEOUT}. Nodes may be stopped and
 * restarted through {@link #processes()} (each keeps its nodes.conf); call {@link #awaitHealthy()}
 * afterwards. {@link #close()} ends every node.
 */
public final class RedisCluster implements AutoCloseable {

  /** Number of master nodes. */
  public static final int MASTERS = 3;

  /** How long the cluster may take to reach {@code cluster_state:ok}. */
  public static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);

  /** Number of hash slots in a Redis Cluster. */
  public static final int SLOTS = 16384;

  private static final Logger LOG = Logger.getLogger(RedisCluster.class.getName());
  private static final int ADDSLOTS_BATCH = 1000;

  private final List<RedisProcess> processes;
  private final Set<HostAndPort> nodes;

  private RedisCluster(List<RedisProcess> processes) {
    this.processes = List.copyOf(processes);
    Set<HostAndPort> addresses = new LinkedHashSet<>();
    for (RedisProcess p : processes) {
      addresses.add(p.hostAndPort());
    }
    this.nodes = Collections.unmodifiableSet(addresses);
  }

  /** Starts and forms a cluster with {@link RedisBinary#locate()}. */
  public static RedisCluster start() {
    return start(RedisBinary.locate());
  }

  /** Starts and forms a cluster with the given binary. */
  public static RedisCluster start(RedisBinary binary) {
    List<RedisProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS; i++) {
        started.add(
            RedisProcess.start(
                binary,
                List.of(
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes-{port}.conf",
                    "--cluster-node-timeout", "5000")));
      }
      RedisCluster cluster = new RedisCluster(started);
      cluster.form();
      LOG.info(() -> "Redis Cluster up: " + cluster.nodes);
      return cluster;
    } catch (RuntimeException | Error e) {
      for (RedisProcess p : started) {
        try {
          p.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  /** The addresses of all nodes, in start order. */
  public Set<HostAndPort> nodes() {
    return nodes;
  }

  /** The first node as {@code redis://127.0.0.1:PORT}. */
  public String seedUrl() {
    return processes.get(0).url();
  }

  /** The node processes, in start order. */
  public List<RedisProcess> processes() {
    return processes;
  }

  /**
   * Waits (at most {@link #FORMATION_TIMEOUT}) until every node is running, reports {@code
   * cluster_state:ok} with all slots served, and sees {@value #MASTERS} healthy masters.
   */
  public void awaitHealthy() {
    try {
      Awaitility.await("Redis Cluster healthy")
          .atMost(FORMATION_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(this::isHealthy);
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "Redis Cluster not healthy within " + FORMATION_TIMEOUT + ":\n" + describe(), e);
    }
  }

  /** Whether every node currently reports a healthy cluster (see {@link #awaitHealthy()}). */
  public boolean isHealthy() {
    for (RedisProcess p : processes) {
      if (!p.isRunning()) {
        return false;
      }
      try (Jedis jedis = p.jedis()) {
        String info = jedis.clusterInfo();
        if (!info.contains("cluster_state:ok")
            || !info.contains("cluster_slots_ok:" + SLOTS)
            || !info.contains("cluster_known_nodes:" + MASTERS)) {
          return false;
        }
        if (healthyMasters(jedis.clusterNodes()) != MASTERS) {
          return false;
        }
      }
    }
    return true;
  }

  /** Ends every node and deletes their directories. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (RedisProcess p : processes) {
      try {
        p.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "RedisCluster" + nodes;
  }

  private void form() {
    for (int i = 0; i < MASTERS; i++) {
      int[] range = slotRange(i);
      try (Jedis jedis = processes.get(i).jedis()) {
        // Distinct epochs up front spare the cluster its epoch-collision resolution.
        jedis.sendCommand(Protocol.Command.CLUSTER, "SET-CONFIG-EPOCH", Integer.toString(i + 1));
        for (int from = range[0]; from <= range[1]; from += ADDSLOTS_BATCH) {
          int to = Math.min(range[1], from + ADDSLOTS_BATCH - 1);
          int[] batch = new int[to - from + 1];
          for (int s = 0; s < batch.length; s++) {
            batch[s] = from + s;
          }
          jedis.clusterAddSlots(batch);
        }
      }
    }
    try (Jedis first = processes.get(0).jedis()) {
      for (int i = 1; i < MASTERS; i++) {
        RedisProcess other = processes.get(i);
        first.clusterMeet(other.host(), other.port());
      }
    }
    awaitHealthy();
  }

  /** The slot range of master {@code index}, split as redis-cli does. */
  static int[] slotRange(int index) {
    double perNode = (double) SLOTS / MASTERS;
    int first = (int) Math.round(index * perNode);
    int last = index == MASTERS - 1 ? SLOTS - 1 : (int) Math.round(index * perNode + perNode - 1);
    return new int[] {first, last};
  }

  private static int healthyMasters(String clusterNodes) {
    int count = 0;
    for (String line : clusterNodes.split("\r?\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length < 8) {
        continue;
      }
      String address = fields[1];
      List<String> flags = List.of(fields[2].split(","));
      boolean connected = "connected".equals(fields[7]);
      if (flags.contains("master")
          && !flags.contains("fail")
          && !flags.contains("fail?")
          && !flags.contains("handshake")
          && !flags.contains("noaddr")
          && connected
          && address.startsWith(RedisProcess.HOST + ":")) {
        count++;
      }
    }
    return count;
  }

  private String describe() {
    StringBuilder sb = new StringBuilder();
    for (RedisProcess p : processes) {
      sb.append("--- ").append(p.url()).append(p.isRunning() ? "" : " (not running)").append('\n');
      try (Jedis jedis = p.jedis()) {
        for (String line : jedis.clusterInfo().split("\r?\n")) {
          if (line.startsWith("cluster_state")
              || line.startsWith("cluster_slots")
              || line.startsWith("cluster_known_nodes")) {
            sb.append(line).append('\n');
          }
        }
        sb.append(jedis.clusterNodes());
      } catch (RuntimeException e) {
        sb.append("(unreachable: ").append(e).append(")\n");
      }
    }
    return sb.toString();
  }
}
