package io.juggler.testing.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real local Redis Cluster of {@value #MASTERS} masters, each with as many replicas as asked for
 * (none by default), every node a {@link RedisProcess} on 127.0.0.1 with its own free port (its bus
 * port is port + 10000). The slots are split as redis-cli does (0-5460, 5461-10922, 10923-16383)
 * with CLUSTER ADDSLOTS, and the replicas attached with CLUSTER REPLICATE, so Redis 6.2 works too;
 * {@link Options#start()} returns only when the cluster {@link #isHealthy() is healthy}, within
 * {@link #FORMATION_TIMEOUT}. Nodes may be stopped and restarted through {@link #processes()} (each
 * keeps its nodes.conf); call {@link #awaitHealthy()} afterwards. {@link #close()} ends every node.
 */
public final class RedisCluster implements AutoCloseable {

  /** Number of master nodes. */
  public static final int MASTERS = 3;

  /** How long the cluster may take to become healthy. */
  public static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);

  /** Number of hash slots in a Redis Cluster. */
  public static final int SLOTS = 16384;

  private static final Logger LOG = Logger.getLogger(RedisCluster.class.getName());
  private static final int ADDSLOTS_BATCH = 1000;

  /** How a cluster is started; from {@link RedisCluster#options()}. */
  public static final class Options {
    private int replicas;
    private Duration nodeTimeout = Duration.ofSeconds(5);
    private Path dir;
    private final List<String> args = new ArrayList<>();

    private Options() {}

    /** Replicas per master (0 by default). */
    public Options replicas(int replicas) {
      this.replicas = replicas;
      return this;
    }

    /** {@code cluster-node-timeout}: how long a node may not answer before it fails (5 s). */
    public Options nodeTimeout(Duration timeout) {
      this.nodeTimeout = timeout;
      return this;
    }

    /**
     * Where the nodes' directories go ({@code node-1}, {@code node-2}, ..., emptied first and kept
     * afterwards); temporary ones by default.
     */
    public Options dir(Path dir) {
      this.dir = dir;
      return this;
    }

    /** More arguments for every node (e.g. {@code --appendonly yes}). */
    public Options args(String... args) {
      this.args.addAll(List.of(args));
      return this;
    }

    /** Starts and forms the cluster. */
    public RedisCluster start() {
      List<RedisProcess> started = new ArrayList<>();
      try {
        int nodes = MASTERS * (1 + replicas);
        for (int i = 1; i <= nodes; i++) {
          RedisProcess.Options node =
              RedisProcess.options()
                  .args(
                      "--cluster-enabled",
                      "yes",
                      "--cluster-config-file",
                      "nodes-{port}.conf",
                      "--cluster-node-timeout",
                      Long.toString(nodeTimeout.toMillis()))
                  .args(args.toArray(String[]::new));
          if (dir != null) {
            RedisProcess.deleteRecursively(dir.resolve("node-" + i));
            node.dir(dir.resolve("node-" + i));
          }
          started.add(node.start());
        }
        RedisCluster cluster = new RedisCluster(started, replicas);
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
  }

  private final List<RedisProcess> processes;
  private final int replicas;
  private final Set<HostAndPort> nodes;

  private RedisCluster(List<RedisProcess> processes, int replicas) {
    this.processes = List.copyOf(processes);
    this.replicas = replicas;
    Set<HostAndPort> addresses = new LinkedHashSet<>();
    for (RedisProcess p : processes) {
      addresses.add(p.hostAndPort());
    }
    this.nodes = Collections.unmodifiableSet(addresses);
  }

  /** Starts and forms a cluster of {@value #MASTERS} masters without replicas. */
  public static RedisCluster start() {
    return options().start();
  }

  /** A start with other choices than {@link #start()}'s. */
  public static Options options() {
    return new Options();
  }

  /** The addresses of all nodes, in start order (the masters first). */
  public Set<HostAndPort> nodes() {
    return nodes;
  }

  /** The first node as {@code redis://127.0.0.1:PORT}. */
  public String seedUrl() {
    return processes.get(0).url();
  }

  /** Every node's URL, comma-separated. */
  public String seedUrls() {
    return String.join(",", processes.stream().map(RedisProcess::url).toList());
  }

  /** The node processes, in start order (the masters first). */
  public List<RedisProcess> processes() {
    return processes;
  }

  /** The node on {@code port}. */
  public RedisProcess node(int port) {
    return processes.stream()
        .filter(p -> p.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node on port " + port));
  }

  /**
   * Waits (at most {@link #FORMATION_TIMEOUT}) until the cluster {@link #isHealthy() is healthy}.
   */
  public void awaitHealthy() {
    long deadline = System.nanoTime() + FORMATION_TIMEOUT.toNanos();
    while (!isHealthy()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Redis Cluster not healthy within " + FORMATION_TIMEOUT + ":\n" + describe());
      }
      RedisProcess.pause(Duration.ofMillis(100));
    }
  }

  /**
   * Whether every node is running and knows every other, the cluster {@link #isServing() serves}
   * and every replica is in sync with its master.
   */
  public boolean isHealthy() {
    int replicasUp = 0;
    for (RedisProcess p : processes) {
      if (!p.isRunning()) {
        return false;
      }
      try (Jedis jedis = p.jedis()) {
        if (!jedis.clusterInfo().contains("cluster_known_nodes:" + processes.size())) {
          return false;
        }
        String replication = jedis.info("replication");
        if (replication.contains("role:slave") && replication.contains("master_link_status:up")) {
          replicasUp++;
        }
      } catch (RuntimeException e) {
        return false;
      }
    }
    return replicasUp == MASTERS * replicas && isServing();
  }

  /**
   * Whether every running node reports {@code cluster_state:ok} with all slots served and sees
   * {@value #MASTERS} masters that have not failed (a failed master's replica promoted counts).
   */
  public boolean isServing() {
    for (RedisProcess p : processes) {
      if (!p.isRunning()) {
        continue;
      }
      try (Jedis jedis = p.jedis()) {
        String info = jedis.clusterInfo();
        if (!info.contains("cluster_state:ok")
            || !info.contains("cluster_slots_ok:" + SLOTS)
            || healthyMasters(jedis.clusterNodes()) != MASTERS) {
          return false;
        }
      } catch (RuntimeException e) {
        return false;
      }
    }
    return true;
  }

  /** The port of the master serving {@code key}'s slot, as a running node sees it; -1 if none. */
  public int masterOf(String key) {
    int slot = JedisClusterCRC16.getSlot(key);
    for (RedisProcess p : processes) {
      if (!p.isRunning()) {
        continue;
      }
      try (Jedis j = p.jedis()) {
        for (String line : j.clusterNodes().split("\r?\n")) {
          String[] f = line.trim().split(" ");
          if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
            continue;
          }
          for (int i = 8; i < f.length; i++) {
            String[] range = f[i].split("-");
            if (range[0].startsWith("[")) {
              continue; // a slot being migrated
            }
            int lo = Integer.parseInt(range[0]);
            int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
            if (slot >= lo && slot <= hi) {
              return Integer.parseInt(f[1].split("[:@]")[1]);
            }
          }
        }
        return -1;
      } catch (RuntimeException e) {
        // try the next node
      }
    }
    return -1;
  }

  /** Ends every node and deletes their directories when temporary. */
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
      for (RedisProcess other : processes.subList(1, processes.size())) {
        first.clusterMeet(other.host(), other.port());
      }
    }
    if (replicas > 0) {
      awaitKnown();
      for (int r = MASTERS; r < processes.size(); r++) {
        String master;
        try (Jedis jedis = processes.get(r % MASTERS).jedis()) {
          master = jedis.clusterMyId();
        }
        try (Jedis jedis = processes.get(r).jedis()) {
          jedis.clusterReplicate(master);
        }
      }
    }
    awaitHealthy();
  }

  /** Until every node knows every other (a replica can only follow a master it knows). */
  private void awaitKnown() {
    long deadline = System.nanoTime() + FORMATION_TIMEOUT.toNanos();
    for (RedisProcess p : processes) {
      while (true) {
        try (Jedis jedis = p.jedis()) {
          if (jedis.clusterInfo().contains("cluster_known_nodes:" + processes.size())) {
            break;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the nodes did not meet:\n" + describe());
        }
        RedisProcess.pause(Duration.ofMillis(50));
      }
    }
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
