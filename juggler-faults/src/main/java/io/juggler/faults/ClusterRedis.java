package io.juggler.faults;

import io.juggler.launcher.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A local Redis Cluster of 3 masters and 3 replicas on loopback (the system redis-server, formed
 * with {@code redis-cli --cluster create --cluster-replicas 1}), node timeout 2 s, AOF always on
 * every node.
 */
final class ClusterRedis implements AutoCloseable {

  static final int NODES = 6;

  private final Path dir;
  private final Map<Integer, Process> nodes = new LinkedHashMap<>();

  private ClusterRedis(Path dir) {
    this.dir = dir;
  }

  static ClusterRedis start(Path dir, List<Integer> ports) throws IOException {
    ClusterRedis c = new ClusterRedis(dir);
    try {
      for (int port : ports) {
        Path d = dir.resolve("node-" + port);
        Files.createDirectories(d);
        Process p =
            new ProcessBuilder(
                    "redis-server",
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    d.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout",
                    "2000",
                    "--save",
                    "",
                    "--appendonly",
                    "yes",
                    "--appendfsync",
                    "always",
                    "--dir",
                    d.toString())
                .redirectErrorStream(true)
                .redirectOutput(d.resolve("redis.log").toFile())
                .start();
        c.nodes.put(port, p);
      }
      for (int port : ports) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!Loopback.listening(port)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("cluster node " + port + " did not start");
          }
          SuiteRedis.sleep(50);
        }
      }
      List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      ports.forEach(p -> cmd.add("127.0.0.1:" + p));
      cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
      SuiteRedis.run(cmd.toArray(String[]::new));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!c.healthy()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster did not form; see " + dir);
        }
        SuiteRedis.sleep(200);
      }
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** Every live node reports cluster_state:ok and the cluster has 3 masters with a replica each. */
  boolean healthy() {
    for (int port : nodes.keySet()) {
      if (!nodes.get(port).isAlive()) {
        continue;
      }
      try (Jedis j = Faults.jedis(new HostAndPort("127.0.0.1", port), 2_000)) {
        if (!j.clusterInfo().contains("cluster_state:ok")) {
          return false;
        }
      } catch (RuntimeException e) {
        return false;
      }
    }
    return true;
  }

  /** The comma-separated seed URLs. */
  String seeds() {
    List<String> s = new ArrayList<>();
    nodes.keySet().forEach(p -> s.add("redis://127.0.0.1:" + p));
    return String.join(",", s);
  }

  /** The port of the master serving {@code key}'s slot, as a live node sees it; -1 if none. */
  int masterOf(String key) {
    int slot = JedisClusterCRC16.getSlot(key);
    for (int port : nodes.keySet()) {
      if (!nodes.get(port).isAlive()) {
        continue;
      }
      try (Jedis j = Faults.jedis(new HostAndPort("127.0.0.1", port), 2_000)) {
        for (String line : j.clusterNodes().split("\n")) {
          String[] f = line.split(" ");
          if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
            continue;
          }
          for (int i = 8; i < f.length; i++) {
            String[] range = f[i].split("-");
            if (range[0].startsWith("[")) {
              continue;
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

  /** SIGKILL of one node. */
  void kill(int port) throws InterruptedException {
    Process p = nodes.get(port);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  long pid(int port) {
    return nodes.get(port).pid();
  }

  @Override
  public void close() {
    for (Process p : nodes.values()) {
      p.destroyForcibly();
    }
    for (Process p : nodes.values()) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
