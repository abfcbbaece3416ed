package io.juggler.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.JedisClusterCRC16;

/** Proves the Redis test harness: real standalone server, restart, and a real 3-master cluster. */
@ExtendWith({RedisExtension.class, RedisClusterExtension.class})
class RedisHarnessIT {

  @Test
  void binaryIsResolvedAndReportsItsVersion() {
    RedisBinary binary = RedisBinary.locate();
    assertTrue(Files.isExecutable(binary.path()), binary.toString());
    assertTrue(binary.version().matches("\\d+\\.\\d+\\.\\d+.*"), binary.version());
    assertTrue(binary.majorVersion() >= 6, binary.version());
  }

  @Test
  void sharedServerAnswersPingLpushBrpop(RedisProcess redis, TestInfo info) {
    assertTrue(redis.isRunning());
    assertEquals("redis://127.0.0.1:" + redis.port(), redis.url());
    String list = TestKeys.unique(info);
    try (Jedis jedis = new Jedis(redis.hostAndPort(), RedisProcess.clientConfig())) {
      assertEquals("PONG", jedis.ping());
      assertEquals(2, jedis.lpush(list, "a", "b"));
      assertEquals(List.of(list, "a"), jedis.brpop(1, list));
      assertEquals(List.of(list, "b"), jedis.brpop(1, list));
      assertEquals(0, jedis.llen(list));
    }
  }

  @Test
  void sharedServerIsTheSameInstanceEverywhere(RedisProcess a, RedisProcess b) {
    assertSame(a, b);
  }

  @Test
  void restartKeepsThePortAndNewConnectionsWorkAgain(TestInfo info) {
    String key = TestKeys.unique(info);
    try (RedisProcess redis = RedisProcess.start()) {
      int port = redis.port();
      try (Jedis jedis = redis.jedis()) {
        assertEquals("OK", jedis.set(key, "v"));
      }
      Jedis stale = redis.jedis();
      assertEquals("PONG", stale.ping());

      redis.stop();
      assertFalse(redis.isRunning());
      assertThrows(JedisConnectionException.class, stale::ping);
      stale.close();
      assertThrows(
          JedisConnectionException.class,
          () -> {
            try (Jedis down = redis.jedis()) {
              down.ping();
            }
          });

      redis.restart();
      assertTrue(redis.isRunning());
      assertEquals(port, redis.port());
      try (Jedis jedis = new Jedis(redis.hostAndPort(), RedisProcess.clientConfig())) {
        assertEquals("PONG", jedis.ping());
        // persistence is off: the restarted server is empty
        assertFalse(jedis.exists(key));
      }

      redis.kill();
      assertFalse(redis.isRunning());
      redis.restart();
      assertEquals(port, redis.port());
      try (Jedis jedis = redis.jedis()) {
        assertEquals("PONG", jedis.ping());
      }
    }
  }

  @Test
  void closeEndsTheProcessAndDeletesItsDirectory() {
    RedisProcess redis = RedisProcess.start();
    Path dir = redis.dir();
    assertTrue(Files.exists(redis.logFile()));
    redis.close();
    assertFalse(redis.isRunning());
    assertFalse(Files.exists(dir));
    assertThrows(IllegalStateException.class, redis::restart);
    redis.close(); // idempotent
  }

  @Test
  void twoProcessesGetDistinctPorts() {
    try (RedisProcess a = RedisProcess.start();
        RedisProcess b = RedisProcess.start()) {
      assertNotEquals(a.port(), b.port());
    }
  }

  @Test
  void clusterIsOkOnAllNodes(RedisCluster cluster) {
    assertEquals(3, cluster.nodes().size());
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
  }

  @Test
  void clusterAcceptsWritesOnKeysOfEverySlotRange(RedisCluster cluster, TestInfo info) {
    String base = TestKeys.unique(info);
    Set<HostAndPort> owners = new HashSet<>();
    try (RedisClusterClient client = RedisClusterClient.builder().nodes(cluster.nodes()).build()) {
      for (int i = 0; i < 30; i++) {
        String key = "{" + base + "-" + i + "}:k";
        assertEquals("OK", client.set(key, "v" + i));
        assertEquals("v" + i, client.get(key));
        try (Connection c = client.getConnectionFromSlot(JedisClusterCRC16.getSlot(key))) {
          owners.add(c.getHostAndPort());
        }
      }
    }
    // 30 random hash tags land on all three masters with overwhelming probability (1 - 3*(2/3)^30)
    assertEquals(cluster.nodes(), owners);
  }

  @Test
  void slotRangesMatchRedisCli() {
    assertEquals(List.of(0, 5460), asList(RedisCluster.slotRange(0)));
    assertEquals(List.of(5461, 10922), asList(RedisCluster.slotRange(1)));
    assertEquals(List.of(10923, 16383), asList(RedisCluster.slotRange(2)));
  }

  @Test
  void testKeysAreUniqueAndReadable(TestInfo info) {
    String a = TestKeys.unique(info);
    String b = TestKeys.unique(info);
    assertNotEquals(a, b);
    assertTrue(a.startsWith("RedisHarnessIT.testKeysAreUniqueAndReadable-"), a);
    assertTrue(TestKeys.unique("a b{c}").matches("a_b_c-[0-9a-f]{8}"));
    String tag = TestKeys.uniqueTag("chan");
    assertTrue(tag.matches("\\{chan-[0-9a-f]{8}\\}"), tag);
    assertNotNull(TestKeys.unique((String) null));
  }

  private static List<Integer> asList(int[] range) {
    return List.of(range[0], range[1]);
  }
}
