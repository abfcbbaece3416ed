package io.juggler.testing.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Local clusters as the tests (3 masters) and the fault suite (3 masters, 3 replicas) start them.
 */
class RedisClusterIT {

  @Test
  void slotRangesMatchRedisCli() {
    assertEquals(List.of(0, 5460), asList(RedisCluster.slotRange(0)));
    assertEquals(List.of(5461, 10922), asList(RedisCluster.slotRange(1)));
    assertEquals(List.of(10923, 16383), asList(RedisCluster.slotRange(2)));
  }

  @Test
  void threeMastersServeEverySlot() {
    try (RedisCluster cluster = RedisCluster.start()) {
      assertEquals(3, cluster.processes().size());
      assertEquals(cluster.processes().get(0).url(), cluster.seedUrl());
      for (RedisProcess node : cluster.processes()) {
        try (Jedis jedis = node.jedis()) {
          String info = jedis.clusterInfo();
          assertTrue(info.contains("cluster_state:ok"), info);
          assertTrue(info.contains("cluster_slots_assigned:16384"), info);
          assertTrue(info.contains("cluster_known_nodes:3"), info);
        }
      }
      assertTrue(cluster.isHealthy());
      for (String key : List.of("a", "b", "c", "d", "e", "f")) {
        int slot = JedisClusterCRC16.getSlot(key);
        int master = slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2;
        assertEquals(cluster.processes().get(master).port(), cluster.masterOf(key), key);
      }
    }
  }

  /** As the fault suite's scenario 6 uses it: a master SIGKILLed, its replica takes over. */
  @Test
  void aReplicaTakesOverFromAKilledMaster(@TempDir Path dir) {
    try (RedisCluster cluster =
        RedisCluster.options()
            .replicas(1)
            .nodeTimeout(Duration.ofSeconds(2))
            .dir(dir)
            .args("--appendonly", "yes", "--appendfsync", "always")
            .start()) {
      assertEquals(6, cluster.processes().size());
      assertEquals(6, cluster.seedUrls().split(",").length);
      assertTrue(Files.exists(dir.resolve("node-6").resolve("redis.log")));
      String key = "juggler:calls:x";
      int master = cluster.masterOf(key);
      assertTrue(master > 0);
      cluster.node(master).kill();
      assertFalse(cluster.isHealthy(), "a node is down");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int now = cluster.masterOf(key);
      while (now == -1 || now == master || !cluster.isServing()) {
        assertTrue(System.nanoTime() < deadline, "no replica promoted within 30 s");
        RedisProcess.pause(Duration.ofMillis(100));
        now = cluster.masterOf(key);
      }
      assertNotEquals(master, now);
    }
  }

  private static List<Integer> asList(int[] range) {
    return List.of(range[0], range[1]);
  }
}
