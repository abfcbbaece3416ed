package io.juggler.broker.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.EventSubscriber;
import io.juggler.broker.redis.RedisBrokerIT.Event;
import io.juggler.broker.redis.RedisBrokerIT.RawSubscriber;
import io.juggler.broker.redis.RedisBrokerIT.RecordingListener;
import io.juggler.broker.redis.RedisBrokerIT.RecordingMetrics;
import io.juggler.message.CallPayload;
import io.juggler.message.PubPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import io.juggler.registry.RegisteredInstance;
import io.juggler.testing.RedisClusterExtension;
import io.juggler.testing.TestKeys;
import io.juggler.testing.redis.RedisCluster;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@link RedisBroker} on a real 3-master Redis Cluster (spec 6.8) and with a separate pub-sub Redis
 * (spec 7.3).
 */
@ExtendWith(RedisClusterExtension.class)
class RedisClusterBrokerIT {

  private static final Logger LOG = Logger.getLogger(RedisClusterBrokerIT.class.getName());
  private static final Duration AWAIT = Duration.ofSeconds(10);
  private static final Duration POP = Duration.ofSeconds(2);

  private RedisCluster cluster;
  private RecordingMetrics metrics;
  private RedisBroker broker;

  @BeforeEach
  void setUp(RedisCluster cluster) {
    this.cluster = cluster;
    this.metrics = new RecordingMetrics();
    this.broker = new RedisBroker(settings(), metrics);
  }

  /** The cluster from its seed node, for the commands and for pub-sub. */
  private RedisSettings settings() {
    URI seed = URI.create(cluster.seedUrl());
    return new RedisSettings(
        List.of(seed),
        List.of(seed),
        true,
        8,
        Duration.ofSeconds(2),
        Duration.ofSeconds(2),
        0,
        0,
        true);
  }

  @AfterEach
  void tearDown() {
    broker.close();
  }

  @Test
  void callsAndResultsWorkForUrisOnEveryMaster() {
    Map<Integer, String> uriByMaster = new LinkedHashMap<>();
    for (int i = 0; uriByMaster.size() < RedisCluster.MASTERS && i < 1000; i++) {
      String uri = TestKeys.unique("cluster-" + i);
      uriByMaster.putIfAbsent(masterOf(JedisClusterCRC16.getSlot(uri)), uri);
    }
    assertEquals(RedisCluster.MASTERS, uriByMaster.size(), "URIs on every master: " + uriByMaster);
    LOG.fine(() -> "URIs by master: " + uriByMaster);

    for (Map.Entry<Integer, String> e : uriByMaster.entrySet()) {
      String uri = e.getValue();
      CallPayload call = new CallPayload(Uuids.random(), Uuids.random(), uri, RawJson.of("[1]"));
      broker.call(call, 5000);
      // both keys of the call live on the master that owns the URI's slot
      try (Jedis owner = cluster.processes().get(e.getKey()).jedis()) {
        assertEquals(1, owner.llen("juggler:calls:{" + uri + "}"));
        assertEquals("5000", owner.get("juggler:calls:timeout:{" + uri + "}:" + call.msgUuid()));
      }
      assertEquals(call, broker.takeCall(List.of(uri), POP).orElseThrow().payload());

      CallPayload result = new CallPayload(call.connUuid(), call.msgUuid(), uri, RawJson.of("2"));
      broker.storeResult(result, 5000);
      int resultMaster = masterOf(JedisClusterCRC16.getSlot(call.connUuid()));
      try (Jedis owner = cluster.processes().get(resultMaster).jedis()) {
        assertEquals(1, owner.llen("juggler:results:{" + call.connUuid() + "}"));
      }
      assertEquals(result, broker.takeResult(call.connUuid(), POP).orElseThrow());
    }
    assertEquals(List.of(), metrics.expiredCalls());
    assertEquals(0, metrics.redisErrors.get());
  }

  /**
   * The registry lives on the cluster's one slot of {@code {juggler.registry}}: its states are read
   * with their PTTLs in one script there, and a state that is no longer refreshed turns silent.
   */
  @Test
  void registryStatesAndTheirSilenceAreReadOnACluster() {
    try (RedisClients clients = new RedisClients(settings(), BrokerMetrics.NONE)) {
      RedisInstances registry = new RedisInstances(clients);
      String quiet = TestKeys.unique("quiet");
      String busy = TestKeys.unique("busy");
      Duration interval = Duration.ofSeconds(1);
      registry.publish(RegistryIT.state(quiet, 1, interval));
      registry.publish(RegistryIT.state(busy, 2, interval));
      await()
          .atMost(AWAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                registry.publish(RegistryIT.state(busy, 2, interval));
                Map<String, RegisteredInstance> byId = new HashMap<>();
                registry.instances().forEach(r -> byId.put(r.id(), r));
                return byId.containsKey(quiet)
                    && byId.get(quiet).silent()
                    && byId.get(busy).live()
                    && byId.get(busy).state().connectionCount() == 2;
              });
      registry.forget(quiet);
      registry.forget(busy);
    }
  }

  @Test
  void listsAndTheirExpiryKeysShareASlot() {
    for (int i = 0; i < 50; i++) {
      String uri = TestKeys.unique("slot-" + i);
      String msg = Uuids.random();
      String conn = Uuids.random();
      int uriSlot = JedisClusterCRC16.getSlot(uri);
      assertEquals(uriSlot, JedisClusterCRC16.getSlot(RedisKeys.calls(uri)));
      assertEquals(uriSlot, JedisClusterCRC16.getSlot(RedisKeys.callTimeout(uri, msg)));
      int connSlot = JedisClusterCRC16.getSlot(conn);
      assertEquals(connSlot, JedisClusterCRC16.getSlot(RedisKeys.results(conn)));
      assertEquals(connSlot, JedisClusterCRC16.getSlot(RedisKeys.resultTimeout(conn, msg)));
    }
    // the key names are the literal layout of spec 6.1
    assertEquals("juggler:calls:{a.b}", RedisKeys.calls("a.b"));
    assertEquals("juggler:calls:timeout:{a.b}:m", RedisKeys.callTimeout("a.b", "m"));
    assertEquals("juggler:results:{c}", RedisKeys.results("c"));
    assertEquals("juggler:results:timeout:{c}:m", RedisKeys.resultTimeout("c", "m"));
  }

  @Test
  void takeCallPopsFromSeveralUrisThatShareASlot() {
    List<String> pair = urisSharingASlot();
    String u1 = pair.get(0);
    String u2 = pair.get(1);

    CallPayload onSecond = new CallPayload(Uuids.random(), Uuids.random(), u2, null);
    broker.call(onSecond, 5000);
    assertEquals(onSecond, broker.takeCall(pair, POP).orElseThrow().payload());

    CallPayload onFirst = new CallPayload(Uuids.random(), Uuids.random(), u1, RawJson.of("{}"));
    broker.call(onFirst, 5000);
    assertEquals(onFirst, broker.takeCall(pair, POP).orElseThrow().payload());

    CallPayload a = new CallPayload(Uuids.random(), Uuids.random(), u2, RawJson.of("1"));
    CallPayload b = new CallPayload(Uuids.random(), Uuids.random(), u1, RawJson.of("2"));
    broker.call(a, 5000);
    broker.call(b, 5000);
    // first non-empty list in argument order
    assertEquals(b, broker.takeCall(pair, POP).orElseThrow().payload());
    assertEquals(a, broker.takeCall(pair, POP).orElseThrow().payload());
    assertEquals(List.of(), metrics.expiredCalls());
  }

  /** A worker's blocking pop may name only URIs of one slot: the broker groups them so. */
  @Test
  void urisAreGroupedBySlotForOneBlockingPop() {
    List<String> pair = urisSharingASlot();
    String other = TestKeys.unique("other-slot");
    while (JedisClusterCRC16.getSlot(RedisKeys.calls(other))
        == JedisClusterCRC16.getSlot(RedisKeys.calls(pair.get(0)))) {
      other = other + "x";
    }
    List<List<String>> groups = broker.slotGroups(List.of(pair.get(0), other, pair.get(1)));
    assertEquals(List.of(List.of(pair.get(0), pair.get(1)), List.of(other)), groups);
  }

  @Test
  void publicationsCrossNodes() throws Exception {
    // the subscriber attaches to node 1 (the only pub-sub seed); publish through node 3
    RedisProcess node1 = cluster.processes().get(0);
    RedisProcess node3 = cluster.processes().get(2);
    RecordingListener listener = new RecordingListener();
    String channel = TestKeys.unique("cluster-chan");
    try (EventSubscriber subscriber = broker.openSubscriber(listener, RedisBrokerIT.DAEMON);
        Jedis publisher = node3.jedis();
        Jedis seed = node1.jedis();
        RawSubscriber onNode3 = new RawSubscriber(node3.hostAndPort(), channel)) {
      await().atMost(AWAIT).until(subscriber::isConnected);
      subscriber.subscribe(channel, false).get(5, TimeUnit.SECONDS);
      assertEquals(1L, RedisBrokerIT.numSub(seed, channel), "subscribed on node 1");
      assertEquals(1L, RedisBrokerIT.numSub(publisher, channel), "only the raw one on node 3");

      PubPayload direct = new PubPayload(Uuids.random(), RawJson.of("\"via node 3\""));
      publisher.publish(
          channel, "{\"msg_uuid\":\"" + direct.msgUuid() + "\",\"args\":\"via node 3\"}");
      await().atMost(AWAIT).until(() -> listener.events.contains(new Event(channel, null, direct)));

      // the broker's own PUBLISH (any node) reaches subscribers on node 1 and node 3
      PubPayload viaBroker = new PubPayload(Uuids.random(), RawJson.of("{\"n\":1}"));
      broker.publish(channel, viaBroker);
      await()
          .atMost(AWAIT)
          .until(() -> listener.events.contains(new Event(channel, null, viaBroker)));
      await().atMost(AWAIT).until(() -> onNode3.messages.size() == 2);
      JsonObject raw = RedisBrokerIT.parse(List.copyOf(onNode3.messages).get(1));
      assertEquals(Set.of("msg_uuid", "args"), raw.keySet());
      assertEquals(viaBroker.msgUuid(), raw.getString("msg_uuid"));
      assertEquals(0, metrics.invalidEventPayloads.get());
    }
  }

  @Test
  void separatePubSubRedisCarriesPublicationsAndRpcStaysOnTheOther() throws Exception {
    try (RedisProcess rpc = RedisProcess.start();
        RedisProcess pubsub = RedisProcess.start()) {
      RedisSettings settings =
          new RedisSettings(
              List.of(URI.create(rpc.url())),
              List.of(URI.create(pubsub.url())),
              false,
              4,
              Duration.ofSeconds(2),
              Duration.ofSeconds(2),
              0,
              0,
              false);
      assertTrue(settings.separatePubSub());
      String channel = TestKeys.unique("split");
      RecordingListener listener = new RecordingListener();
      try (RedisBroker split = new RedisBroker(settings, metrics);
          RawSubscriber onRpc = new RawSubscriber(rpc.hostAndPort(), channel);
          RawSubscriber onPubSub = new RawSubscriber(pubsub.hostAndPort(), channel);
          EventSubscriber subscriber = split.openSubscriber(listener, RedisBrokerIT.DAEMON);
          Jedis a = rpc.jedis();
          Jedis b = pubsub.jedis()) {
        split.ping();

        PubPayload event = new PubPayload(Uuids.random(), RawJson.of("{\"text\":\"hi\"}"));
        split.publish(channel, event);
        await().atMost(AWAIT).until(() -> onPubSub.messages.size() == 1);
        JsonObject raw = RedisBrokerIT.parse(onPubSub.messages.peek());
        assertEquals(event.msgUuid(), raw.getString("msg_uuid"));
        assertEquals(RedisBrokerIT.parse("{\"text\":\"hi\"}"), raw.getJsonObject("args"));
        // a later publication on the RPC Redis proves the event never went there
        a.publish(channel, "marker");
        await().atMost(AWAIT).until(() -> !onRpc.messages.isEmpty());
        assertEquals(List.of("marker"), List.copyOf(onRpc.messages));

        // the event subscriber attaches to the pub-sub Redis
        await().atMost(AWAIT).until(subscriber::isConnected);
        subscriber.subscribe(channel, false).get(5, TimeUnit.SECONDS);
        assertEquals(2L, RedisBrokerIT.numSub(b, channel));
        assertEquals(1L, RedisBrokerIT.numSub(a, channel));
        PubPayload second = new PubPayload(Uuids.random(), null);
        split.publish(channel, second);
        await()
            .atMost(AWAIT)
            .until(() -> listener.events.contains(new Event(channel, null, second)));

        // calls and results go to the RPC Redis only
        String uri = TestKeys.unique("split-uri");
        CallPayload call = new CallPayload(Uuids.random(), Uuids.random(), uri, null);
        split.call(call, 5000);
        assertTrue(a.exists("juggler:calls:{" + uri + "}"));
        assertFalse(b.exists("juggler:calls:{" + uri + "}"));
        assertEquals(call, split.takeCall(List.of(uri), POP).orElseThrow().payload());
        split.storeResult(call, 5000);
        assertTrue(a.exists("juggler:results:{" + call.connUuid() + "}"));
        assertEquals(0L, b.dbSize());
        assertEquals(call, split.takeResult(call.connUuid(), POP).orElseThrow());
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Two URIs whose call lists hash to one slot, found by generating candidates until two collide.
   */
  private static List<String> urisSharingASlot() {
    Map<Integer, String> bySlot = new HashMap<>();
    String base = TestKeys.unique("same-slot");
    for (int i = 0; i < 100_000; i++) {
      String uri = base + "." + i;
      String previous = bySlot.putIfAbsent(JedisClusterCRC16.getSlot(RedisKeys.calls(uri)), uri);
      if (previous != null) {
        assertNotEquals(previous, uri);
        return List.of(previous, uri);
      }
    }
    throw new IllegalStateException("no two candidate URIs share a slot");
  }

  /** Index in {@link RedisCluster#processes()} of the master serving {@code slot}. */
  private int masterOf(int slot) {
    List<RedisProcess> nodes = cluster.processes();
    for (int i = 0; i < nodes.size(); i++) {
      try (Jedis jedis = nodes.get(i).jedis()) {
        for (int[] range : ownRanges(jedis.clusterNodes())) {
          if (slot >= range[0] && slot <= range[1]) {
            return i;
          }
        }
      }
    }
    throw new IllegalStateException("no master serves slot " + slot);
  }

  /** The slot ranges of the node answering CLUSTER NODES (its {@code myself} line). */
  private static List<int[]> ownRanges(String clusterNodes) {
    List<int[]> ranges = new ArrayList<>();
    for (String line : clusterNodes.split("\r?\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length < 9 || !fields[2].contains("myself")) {
        continue;
      }
      for (int f = 8; f < fields.length; f++) {
        if (fields[f].startsWith("[")) {
          continue; // migrating / importing slot
        }
        String[] bounds = fields[f].split("-");
        int from = Integer.parseInt(bounds[0]);
        int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from;
        ranges.add(new int[] {from, to});
      }
    }
    return ranges;
  }
}
