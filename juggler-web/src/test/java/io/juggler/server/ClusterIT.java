package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.message.Uuids;
import io.juggler.testing.Deployments;
import io.juggler.testing.redis.RedisCluster;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * RPC on a real local Redis Cluster (3 masters) and pub-sub on a separate standalone Redis, end to
 * end through the WAR on Payara Micro.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClusterIT {

  static final RedisCluster CLUSTER = RedisCluster.start();
  @AutoClose static final RedisProcess PUBSUB = RedisProcess.start();
  static final String ORIGIN = "https://app.example";

  WsClient connect(String... protocols) {
    return WsClient.connect(
        Deployments.ws(base),
        Map.of("Origin", ORIGIN),
        protocols.length == 0 ? new String[] {"juggler.0"} : protocols);
  }

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive deployment() {
    String seeds =
        CLUSTER.nodes().stream()
            .map(n -> "redis://" + n.getHost() + ":" + n.getPort())
            .collect(Collectors.joining(","));
    return Deployments.war(
        Map.of(
            "juggler.redis.url", seeds,
            "juggler.redis.cluster", "true",
            "juggler.redis.pubsub.url", PUBSUB.url(),
            "juggler.redis.pubsub.cluster", "false",
            "juggler.callee.demo.enabled", "true",
            "juggler.server.allowed-origins", ORIGIN + ",https://other.example",
            "juggler.server.allow-empty-subprotocol", "true",
            "juggler.server.write-timeout", "1s",
            "juggler.server.outbound-queue", "1000000",
            "juggler.server.outbound-bytes", Integer.toString(Integer.MAX_VALUE)));
  }

  @AfterAll
  static void stop() {
    PUBSUB.close();
    CLUSTER.close();
  }

  @Test
  void callsToUrisOnDifferentMastersAreAnswered() {
    Set<String> owners = new HashSet<>();
    try (RedisClusterClient cluster = RedisClusterClient.builder().nodes(CLUSTER.nodes()).build()) {
      for (String uri : new String[] {"test.echo", "test.reverse", "test.delay"}) {
        int slot = JedisClusterCRC16.getSlot("juggler:calls:{" + uri + "}");
        try (var owner = cluster.getConnectionFromSlot(slot)) {
          owners.add(owner.getHostAndPort().toString());
        }
      }
    }
    assertTrue(owners.size() >= 2, "demo URIs all on one master: " + owners);
    try (WsClient c = connect()) {
      String echo = c.call("test.echo", 5_000_000_000L, "{\"a\":1}");
      c.expectAck(echo);
      assertEquals(1, c.expectRes(echo).getJsonObject("args").getInt("a"));
      String reverse = c.call("test.reverse", 5_000_000_000L, "\"abc\"");
      c.expectAck(reverse);
      assertEquals("cba", c.expectRes(reverse).getString("args"));
      String delay = c.call("test.delay", 5_000_000_000L, "\"5\"");
      c.expectAck(delay);
      assertEquals(5, c.expectRes(delay).getInt("args"));
    }
  }

  @Test
  void originOutsideTheAllowedListGets403() {
    java.util.concurrent.CompletionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.CompletionException.class,
            () ->
                WsClient.connect(
                    Deployments.ws(base), Map.of("Origin", "https://evil.example"), "juggler.0"));
    assertEquals(
        403, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
  }

  @Test
  void clientOfferingNoSubprotocolIsServedWhenAllowed() {
    try (WsClient c = WsClient.connect(Deployments.ws(base), Map.of("Origin", ORIGIN))) {
      String id = c.call("test.echo", 0, "\"plain\"");
      c.expectAck(id);
      assertEquals("plain", c.expectRes(id).getString("args"));
    }
  }

  @Test
  void writeThatMissesTheWriteTimeoutClosesWith1011() throws Exception {
    try (Jedis pubsubRedis = PUBSUB.jedis()) {
      SlowReader.assertClosedWithoutStallingOthers(
          Deployments.ws(base),
          Deployments.http(base),
          pubsubRedis,
          1011,
          Map.of("Origin", ORIGIN));
    }
  }

  @Test
  void pubSubUsesTheSeparateRedis() {
    String channel = "cluster.news." + Uuids.random();
    try (WsClient sub = connect();
        WsClient pub = connect();
        Jedis pubsubRedis = PUBSUB.jedis()) {
      sub.expectAck(sub.sub(channel, false));
      assertEquals(1L, pubsubRedis.pubsubNumSub(channel).get(channel));
      for (RedisProcess node : CLUSTER.processes()) {
        try (Jedis j = node.jedis()) {
          assertEquals(0L, j.pubsubNumSub(channel).get(channel));
        }
      }
      String p = pub.pub(channel, "\"hello\"");
      pub.expectAck(p);
      JsonObject evnt = sub.expect(10, p);
      assertEquals("hello", evnt.getString("args"));
    }
  }
}
