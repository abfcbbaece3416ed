package io.juggler.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.testing.redis.RedisCluster;
import io.juggler.testing.redis.RedisProcess;
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
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Proves the Redis test harness of this module: the server and the 3-master cluster the extensions
 * share, and test keys. The processes themselves are tested in juggler-test-support.
 */
@ExtendWith({RedisExtension.class, RedisClusterExtension.class})
class RedisHarnessIT {

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
  void sharedClusterHasThreeHealthyMasters(RedisCluster cluster, RedisCluster again) {
    assertSame(cluster, again);
    assertEquals(3, cluster.nodes().size());
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
}
