package io.juggler.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.redis.RedisKeys;
import io.juggler.client.ClientOptions;
import io.juggler.client.ConnectionListener;
import io.juggler.client.Event;
import io.juggler.client.JugglerClient;
import io.juggler.client.RequestFuture;
import io.juggler.client.Subscription;
import io.juggler.message.Message;
import io.juggler.message.RawJson;
import io.juggler.message.Res;
import io.juggler.message.SessionAck;
import io.juggler.testing.redis.RedisCluster;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Many servers, one system: two Payara Micro processes running the packaged WAR behind nginx (the
 * repository's load balancer template) on loopback, sharing only Redis. Server 1 runs no callees,
 * server 2 runs the demo callees, so every RES that reaches a client of server 1 crossed Redis from
 * the other process; events published through server 2 reach subscribers on both. Once with one
 * Redis, once with a 3-master Redis Cluster for RPC and a separate Redis for pub-sub.
 */
class ManyServersIT {

  private static final Path RUNTIME = Path.of("target/runtime");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int LB_CLIENTS = 4;
  // HTTP/1.1: no h2c upgrade, which runtimes answer differently (Open Liberty's once hung on it)
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void serversBehindNginxShareOneRedis() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      runSystem(
          "standalone",
          Map.of("JUGGLER_REDIS_URL", redis.url()),
          channel -> assertTrue(subscribedChannels(redis).contains(channel)));
    }
  }

  @Test
  void serversBehindNginxShareARedisClusterAndAPubSubRedis() throws Exception {
    try (RedisCluster cluster = RedisCluster.start();
        RedisProcess pubsub = RedisProcess.start()) {
      String seeds =
          cluster.nodes().stream()
              .map(n -> "redis://" + n.getHost() + ":" + n.getPort())
              .collect(Collectors.joining(","));
      runSystem(
          "cluster",
          Map.of(
              "JUGGLER_REDIS_URL",
              seeds,
              "JUGGLER_REDIS_CLUSTER",
              "true",
              "JUGGLER_REDIS_PUBSUB_URL",
              pubsub.url(),
              "JUGGLER_REDIS_PUBSUB_CLUSTER",
              "false"),
          channel -> {
            // subscriptions live on the pub-sub Redis, none on the cluster's nodes
            assertTrue(subscribedChannels(pubsub).contains(channel), "not on the pub-sub Redis");
            for (RedisProcess node : cluster.processes()) {
              assertTrue(subscribedChannels(node).isEmpty(), "subscribed on " + node);
            }
          });
    }
  }

  /**
   * Third hardening round, item 8: behind the shipped load balancer every client had nginx's
   * address, so ten wrong console passwords from anyone locked everyone out. With the balancer
   * trusted ({@code juggler.server.trusted-proxies}, as compose.yaml sets it), a guesser locks out
   * only its own address: here clients on 127.0.0.2 and 127.0.0.3, through nginx on 127.0.0.1.
   */
  @Test
  void theConsoleBehindNginxThrottlesEachClientByItsOwnAddress() throws Exception {
    Path work = Path.of("target/many-servers/console").toAbsolutePath();
    int port = freePort();
    int lbPort = freePort();
    String password = "console-" + UUID.randomUUID();
    try (RedisProcess redis = RedisProcess.start();
        PayaraMicro server =
            PayaraMicro.start(
                RUNTIME,
                work.resolve("s1"),
                port,
                Map.of(
                    "JUGGLER_REDIS_URL",
                    redis.url(),
                    "JUGGLER_ADMIN_PASSWORD",
                    password,
                    "JUGGLER_SERVER_TRUSTED_PROXIES",
                    "127.0.0.1"),
                List.of("-Xmx512m"),
                work.resolve("server.log"));
        Nginx lb =
            Nginx.loopback(
                Repository.root().resolve(Nginx.TEMPLATE),
                work.resolve("nginx"),
                port,
                port,
                lbPort)) {
      assertTrue(server.awaitReady(300), "server not ready; see " + work + "/server.log");
      // its callees run, but the demo's only on request (juggler.callee.demo.enabled)
      assertTrue(
          metricsText(port).lines().noneMatch(l -> l.contains("uri=\"test.echo\"")),
          "the demo functions are served without juggler.callee.demo.enabled");
      LoopbackBrowser guesser = new LoopbackBrowser("127.0.0.2", lbPort);
      String where = "";
      for (int i = 0; i < 40 && !where.endsWith("?locked"); i++) {
        where = guesser.login("admin", "guess-" + i);
      }
      assertTrue(where.endsWith("?locked"), "the guesser was never locked: " + where);
      LoopbackBrowser owner = new LoopbackBrowser("127.0.0.3", lbPort);
      assertTrue(owner.login("admin", password).endsWith("/admin/"), "the owner is locked out");
      try (Jedis j = redis.jedis()) {
        List<String> refused = j.lrange(RedisKeys.REGISTRY_AUDIT_REFUSED, 0, -1);
        assertTrue(
            refused.stream().anyMatch(e -> e.contains("(from 127.0.0.2)")), refused.toString());
        assertTrue(
            refused.stream().noneMatch(e -> e.contains("(from 127.0.0.1)")), refused.toString());
      }
    }
  }

  /**
   * The console's login as a browser on a loopback address of its own does it: loads the login page
   * (its session cookie and form token), posts the form, and says where it was sent.
   */
  private static final class LoopbackBrowser {
    private final String address;
    private final int port;

    LoopbackBrowser(String address, int port) {
      this.address = address;
      this.port = port;
    }

    String login(String user, String password) throws IOException {
      String[] page = exchange("GET /admin/login HTTP/1.1\r\n", "");
      Matcher cookie = Pattern.compile("(?im)^Set-Cookie:\\s*([^;\\r\\n]+)").matcher(page[0]);
      assertTrue(cookie.find(), "no session: " + page[0]);
      String form = EarChecks.loginForm(page[1], user, password);
      String[] answer =
          exchange(
              "POST /admin/j_security_check HTTP/1.1\r\nCookie: "
                  + cookie.group(1)
                  + "\r\nContent-Type: application/x-www-form-urlencoded\r\n",
              form);
      Matcher location = Pattern.compile("(?im)^Location:\\s*(\\S+)").matcher(answer[0]);
      return location.find() ? location.group(1) : answer[0].lines().findFirst().orElse("");
    }

    /** One request ({@code head}: request line and headers) on its own connection: head, body. */
    private String[] exchange(String head, String body) throws IOException {
      try (Socket s = new java.net.Socket()) {
        s.bind(new InetSocketAddress(address, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(30_000);
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String request =
            head
                + "Host: 127.0.0.1:"
                + port
                + "\r\nConnection: close\r\nContent-Length: "
                + content.length
                + "\r\n\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(content);
        String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int end = all.indexOf("\r\n\r\n");
        return end < 0
            ? new String[] {all, ""}
            : new String[] {all.substring(0, end), all.substring(end + 4)};
      }
    }
  }

  private static List<String> subscribedChannels(RedisProcess redis) {
    try (Jedis j = redis.jedis()) {
      return j.pubsubChannels();
    }
  }

  /**
   * Starts the system on Redis settings {@code redisEnv} and checks it end to end; {@code
   * whileSubscribed} gets the channel that every client is subscribed to, before the publication.
   */
  private void runSystem(
      String name, Map<String, String> redisEnv, Consumer<String> whileSubscribed)
      throws Exception {
    Path work = Path.of("target/many-servers", name).toAbsolutePath();
    int port1 = freePort();
    int port2 = freePort();
    int lbPort = freePort();
    Map<String, String> env1 = new HashMap<>(redisEnv);
    env1.put("JUGGLER_CALLEE_ENABLED", "false");
    Map<String, String> env2 = new HashMap<>(redisEnv);
    env2.put("JUGGLER_CALLEE_DEMO_ENABLED", "true");
    List<String> jvm = List.of("-Xmx512m");
    try (PayaraMicro server1 =
            PayaraMicro.start(
                RUNTIME, work.resolve("s1"), port1, env1, jvm, work.resolve("server-1.log"));
        PayaraMicro server2 =
            PayaraMicro.start(
                RUNTIME, work.resolve("s2"), port2, env2, jvm, work.resolve("server-2.log"));
        Nginx lb =
            Nginx.loopback(
                Repository.root().resolve(Nginx.TEMPLATE),
                work.resolve("nginx"),
                port1,
                port2,
                lbPort)) {
      assertTrue(server1.awaitReady(300), "server 1 not ready; see " + work + "/server-1.log");
      assertTrue(server2.awaitReady(300), "server 2 not ready; see " + work + "/server-2.log");

      URI viaLb = URI.create("ws://127.0.0.1:" + lbPort + "/ws");
      List<JugglerClient> clients = new ArrayList<>();
      try (JugglerClient onServer1 = JugglerClient.connect(ws(port1));
          JugglerClient onServer2 = JugglerClient.connect(ws(port2))) {
        for (int i = 0; i < LB_CLIENTS; i++) {
          clients.add(JugglerClient.connect(viaLb));
        }
        // nginx spread the websockets over both servers (round robin: two each)
        await("connections through nginx on both servers")
            .atMost(WAIT)
            .until(
                () ->
                    activeConnections(port1) == 1 + LB_CLIENTS / 2
                        && activeConnections(port2) == 1 + LB_CLIENTS / 2);

        // RPC: server 1 has no callee, so its clients' results come from server 2's
        assertEcho(onServer1, "direct to server 1");
        for (int i = 0; i < clients.size(); i++) {
          assertEcho(clients.get(i), "through nginx #" + i);
        }
        assertEquals(0, calleeCalls(port1), "server 1 ran a callee");
        assertEquals(1 + LB_CLIENTS, calleeCalls(port2), "calls served by server 2's callees");

        // pub-sub: published through server 2, delivered on both servers
        String channel = "many-servers." + name + "." + UUID.randomUUID();
        List<BlockingQueue<Event>> received = new ArrayList<>();
        List<Subscription> subscriptions = new ArrayList<>();
        List<JugglerClient> subscribers = new ArrayList<>(clients);
        subscribers.add(onServer1);
        for (JugglerClient c : subscribers) {
          BlockingQueue<Event> q = new LinkedBlockingQueue<>();
          received.add(q);
          Subscription s = c.subscribe(channel, false, q::add);
          subscriptions.add(s);
          s.acknowledged().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        whileSubscribed.accept(channel);
        onServer2
            .publish(channel, "{\"from\":\"server 2\"}")
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (int i = 0; i < received.size(); i++) {
          Event e = received.get(i).poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertTrue(e != null, "subscriber #" + i + " got no EVNT");
          assertEquals(channel, e.channel());
          assertEquals(json("{\"from\":\"server 2\"}"), json(e.args().json()));
        }
        subscriptions.forEach(Subscription::close);
      } finally {
        clients.forEach(JugglerClient::close);
      }
      assertTrue(
          lb.accessLog().stream().anyMatch(l -> l.contains("GET /ws") && l.contains(" 101 ")),
          "no websocket upgrade in the nginx access log: " + lb.accessLog());
      resumeOnTheOtherServer(port1, port2, server1);
    }
  }

  /**
   * Issue 23, item 1: a client with a session drops mid-call from server 1 and resumes on server 2,
   * which gets it the result (server 1 takes it and forwards it); then a client's server is killed
   * mid-call (SIGKILL), and server 2 takes the result over from server 1's shard once it stops
   * beating. Last, since it kills server 1.
   */
  private static void resumeOnTheOtherServer(int port1, int port2, PayaraMicro server1)
      throws Exception {
    ClientOptions newSession = ClientOptions.builder().newSession().build();
    for (boolean kill : new boolean[] {false, true}) {
      String token;
      String call;
      try (JugglerClient first = JugglerClient.connect(ws(port1), newSession)) {
        token = first.session().get(WAIT.toSeconds(), TimeUnit.SECONDS).token();
        RequestFuture<RawJson> f = first.call("test.delay", "\"1500\"", Duration.ofSeconds(40));
        call = f.uuid();
        await("ACK of the call").atMost(WAIT).until(f::isAcknowledged);
        if (kill) {
          ProcessHandle.of(server1.pid()).ifPresent(ProcessHandle::destroyForcibly);
          await("server 1 killed").atMost(WAIT).until(() -> !server1.isAlive());
        }
        first.abort(); // gone without a close frame
      }
      BlockingQueue<Res> results = new LinkedBlockingQueue<>();
      ClientOptions resume =
          ClientOptions.builder()
              .resume(token)
              .listener(
                  new ConnectionListener() {
                    @Override
                    public void onMessage(Message m) {
                      if (m instanceof Res r) {
                        results.add(r);
                      }
                    }
                  })
              .build();
      try (JugglerClient back = JugglerClient.connect(ws(port2), resume)) {
        SessionAck ack = back.session().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(ack.resumed(), "not resumed: " + ack);
        Res r = results.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(r != null, "no result after resuming" + (kill ? " (server 1 killed)" : ""));
        assertEquals(call, r.forUuid());
        assertEquals("1500", r.args().json());
      }
    }
  }

  private static void assertEcho(JugglerClient c, String who) throws Exception {
    String args = "{\"who\":\"" + who + "\"}";
    RawJson res = c.call("test.echo", args, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(json(args), json(res.json()), who);
  }

  private static URI ws(int port) {
    return URI.create("ws://127.0.0.1:" + port + "/ws");
  }

  private static JsonObject debugVars(int port) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/debug/vars"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return json(r.body()).getJsonObject("juggler");
  }

  /** The open websockets of the server on {@code port}: {@code ActiveConns} of /debug/vars. */
  static int activeConnections(int port) throws IOException, InterruptedException {
    return debugVars(port).getInt("ActiveConns");
  }

  /** Calls this server's callees completed ({@code juggler_callee_calls_total}, all URIs). */
  private static double calleeCalls(int port) throws IOException, InterruptedException {
    return metricsText(port)
        .lines()
        .filter(l -> l.startsWith("juggler_callee_calls_total{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String metricsText(int port) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static JsonObject json(String s) {
    return Json.createReader(new StringReader(s)).readObject();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
