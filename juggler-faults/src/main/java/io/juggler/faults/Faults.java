package io.juggler.faults;

import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.redis.RedisClients;
import io.juggler.broker.redis.RedisInstances;
import io.juggler.broker.redis.RedisKeys;
import io.juggler.broker.redis.RedisSettings;
import io.juggler.launcher.Machine;
import io.juggler.launcher.Nginx;
import io.juggler.message.RawJson;
import io.juggler.registry.RegisteredInstance;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The fault suite ({@code ./faults.sh}): starts real processes on loopback (Redis, Payara Micro
 * servers and callee instances, nginx), drives steady RPC load with the Java client on an
 * at-most-once URI ({@code test.delay}) and an at-least-once one ({@code test.reliable.delay}),
 * injects one fault per scenario with real signals, and writes {@code <out>/faults-<date>.json} and
 * {@code .md}.
 *
 * <pre>
 * --scenarios 1,2,3,4,5,6   which scenarios (default all)
 *   1 Redis SIGKILL for 5 s, restarted on the same port (AOF always: nothing acknowledged is lost)
 *   2 Redis SIGSTOP for 10 s, then SIGCONT (the half-open case)
 *   3 a callee instance SIGKILLed while calls are in flight
 *   4 a server instance SIGKILLed behind nginx: Java and JavaScript clients reconnect
 *   5 Redis slowed: every byte between the instances and Redis delayed (--latency 25 ms each way)
 *     by the suite's proxy (see LatencyProxy for why not tc netem)
 *   6 Redis Cluster (3 masters + 3 replicas): the master of the at-least-once URI SIGKILLed
 * --short                   CI: scenarios 1 and 3, shorter phases, fewer processes; exits 1 when
 *                           a target is missed (at-least-once calls lost, stuck calls)
 * --out docs/faults         where the report goes
 * --connections 10 --rate 5 calls per second per connection and URI
 * --timeout 10s             the calls' timeout
 * --soak 10m --soak-rate R  the soak instead (see Soak); --soak-warmup 60s: load before the
 *                           measured part, not counted
 * </pre>
 */
public final class Faults {

  static final String AT_MOST_ONCE = "test.delay";
  static final String AT_LEAST_ONCE = "test.reliable.delay";
  static final RawJson ARGS = RawJson.of("\"100\""); // 100 ms in the function
  static final Duration LEASE = Duration.ofSeconds(5); // juggler.callee.lease's default

  private final Map<String, String> opts;
  private final Set<String> scenarios;
  private final boolean quick;
  private final int connections;
  private final double rate;
  private final Duration timeout;
  private final Path work = Path.of("juggler-faults", "target", "run").toAbsolutePath();
  private final Path runtime = Path.of("juggler-launcher", "target", "runtime").toAbsolutePath();
  private final Report report;
  private final List<String> failures = new ArrayList<>();

  /** Redis itself (not through the proxy), to read the registry as the console does; null: none. */
  private volatile String registryRedis;

  private Faults(Map<String, String> opts) {
    this.opts = opts;
    this.quick = opts.containsKey("short");
    this.scenarios =
        new TreeSet<>(
            List.of(opts.getOrDefault("scenarios", quick ? "1,3" : "1,2,3,4,5,6").split(",")));
    this.connections = Integer.parseInt(opts.getOrDefault("connections", quick ? "4" : "10"));
    this.rate = Double.parseDouble(opts.getOrDefault("rate", "5"));
    this.timeout =
        Duration.ofSeconds(Long.parseLong(opts.getOrDefault("timeout", "10s").replace("s", "")));
    Map<String, Object> machine = Machine.describe(redisVersion());
    machine.put("uptimeAtStart", uptime());
    this.report = new Report("Juggler EE fault suite" + (quick ? " (short)" : ""), machine);
    report.columns(
        List.of(
            "delivery",
            "sent",
            "ack",
            "nack",
            "res",
            "expired",
            "lost",
            "expiredLate",
            "connectionLost",
            "stuck",
            "redelivered",
            "faultMs",
            "recoveryMs",
            "readyAgainMs",
            "registryTrueAgainMs",
            "p99Ms",
            "logWarnings",
            "logSevere",
            "loadAvg1m"));
    report.parameter(
        "load",
        connections
            + " connections x "
            + rate
            + " calls/s on each of "
            + AT_MOST_ONCE
            + " (at most once) and "
            + AT_LEAST_ONCE
            + " (at least once), 100 ms in the function, timeout "
            + timeout.toSeconds()
            + " s");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = parse(args);
    if (opts.containsKey("soak")) {
      Soak.main(opts);
      return;
    }
    Faults f = new Faults(opts);
    f.run();
    if (!f.failures.isEmpty()) {
      System.err.println("[faults] targets missed:");
      f.failures.forEach(x -> System.err.println("  - " + x));
      System.out.println("0 passed, " + f.failures.size() + " failed");
      System.exit(1);
    }
    if (f.quick) {
      System.out.println("[faults] short suite: every target met");
    }
  }

  private void run() throws Exception {
    Files.createDirectories(work);
    boolean systemA = scenarios.stream().anyMatch(s -> !s.equals("6"));
    if (systemA) {
      runStandalone();
    }
    if (scenarios.contains("6")) {
      runCluster();
    }
    report.parameter("uptimeAtEnd", uptime());
    Path out = Path.of(opts.getOrDefault("out", quick ? "juggler-faults/target" : "docs/faults"));
    String name = "faults-" + LocalDate.now() + (quick ? "-short" : "");
    report.write(out, name);
    System.out.println("[faults] results written to " + out.resolve(name + ".md"));
  }

  // ------------------------------------------------------------------ system A: one Redis

  private void runStandalone() throws Exception {
    boolean nginx = scenarios.contains("4");
    try (SuiteRedis redis = SuiteRedis.start(work.resolve("redis"), freePort(), freePort())) {
      report.parameter(
          "redis",
          "one redis-server on loopback, AOF with appendfsync always; the instances reach it"
              + " through the suite's latency proxy (LatencyProxy), which only forwards outside"
              + " scenario 5");
      registryRedis = redis.directUrl();
      Map<String, String> common = new HashMap<>();
      common.put("JUGGLER_REDIS_URL", redis.url());
      Map<String, String> serverEnv = new HashMap<>(common);
      serverEnv.put("JUGGLER_CALLEE_ENABLED", "false");
      Map<String, String> calleeEnv = new HashMap<>(common);
      calleeEnv.put("JUGGLER_SERVER_ENABLED", "false");
      calleeEnv.put("JUGGLER_CALLEE_DEMO_ENABLED", "true");
      List<Instance> all = new ArrayList<>();
      try {
        Instance server1 = start(all, "server-1", serverEnv);
        Instance server2 = nginx ? start(all, "server-2", serverEnv) : null;
        Instance callee1 = start(all, "callee-1", calleeEnv);
        Instance callee2 = start(all, "callee-2", calleeEnv);
        for (Instance i : all) {
          i.awaitReady(300);
        }
        Nginx lb = null;
        URI url = URI.create(server1.websocketUrl());
        if (nginx) {
          int lbPort = freePort();
          lb =
              Nginx.loopback(
                  Path.of(Nginx.TEMPLATE).toAbsolutePath(),
                  work.resolve("nginx"),
                  server1.port,
                  server2.port,
                  lbPort);
          url = URI.create("ws://127.0.0.1:" + lbPort + "/ws");
        }
        try {
          Duration steady = Duration.ofSeconds(quick ? 3 : 5);
          Duration after = Duration.ofSeconds(quick ? 8 : 12);
          if (scenarios.contains("1")) {
            scenario(
                "1 Redis SIGKILL 5 s",
                url,
                all,
                steady,
                after,
                0,
                () -> {
                  redis.kill();
                  Thread.sleep(5_000);
                  redis.restart();
                });
            settle(all);
          }
          if (scenarios.contains("2")) {
            scenario(
                "2 Redis SIGSTOP 10 s",
                url,
                all,
                steady,
                after,
                0,
                () -> {
                  redis.freeze();
                  Thread.sleep(10_000);
                  redis.thaw();
                });
            settle(all);
          }
          if (scenarios.contains("5")) {
            int ms = Integer.parseInt(opts.getOrDefault("latency", "25"));
            scenario(
                "5 Redis +" + 2 * ms + " ms round trip for 15 s",
                url,
                all,
                steady,
                after,
                0,
                () -> {
                  redis.delay(ms);
                  Thread.sleep(15_000);
                  redis.delay(0);
                });
            settle(all);
          }
          if (scenarios.contains("3")) {
            scenario(
                "3 callee SIGKILL",
                url,
                all,
                steady,
                after,
                LEASE.toNanos() + 1_000_000_000L,
                callee1::kill);
          }
          if (scenarios.contains("4")) {
            JsClient js =
                JsClient.start(
                    work,
                    url,
                    AT_MOST_ONCE,
                    steady.plus(after).plusSeconds(2),
                    Duration.ofMillis(100),
                    timeout);
            scenario("4 server SIGKILL behind nginx", url, all, steady, after, 0, server1::kill);
            report.note("4 server SIGKILL behind nginx", "JavaScript client: " + js.result());
          }
        } finally {
          if (lb != null) {
            lb.close();
          }
        }
      } finally {
        all.forEach(Instance::close);
      }
    }
  }

  private Instance start(List<Instance> all, String name, Map<String, String> env)
      throws IOException {
    Instance i = Instance.start(name, runtime, work, freePort(), env);
    all.add(i);
    return i;
  }

  /** Waits until every live instance is ready again (between scenarios). */
  private void settle(List<Instance> all) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Instance i : all) {
      while (i.isAlive() && i.readiness() != 200) {
        if (System.nanoTime() > deadline) {
          failures.add(i.name + " not ready 60 s after the fault ended");
          return;
        }
        Thread.sleep(200);
      }
    }
    Thread.sleep(2_000);
  }

  // ------------------------------------------------------------------ system B: Redis Cluster

  private void runCluster() throws Exception {
    registryRedis = null; // the registry is on the cluster: not probed there
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < ClusterRedis.NODES; i++) {
      ports.add(freePort());
    }
    try (ClusterRedis cluster = ClusterRedis.start(work.resolve("cluster"), ports)) {
      Map<String, String> common = new HashMap<>();
      common.put("JUGGLER_REDIS_URL", cluster.seeds());
      common.put("JUGGLER_REDIS_CLUSTER", "true");
      Map<String, String> serverEnv = new HashMap<>(common);
      serverEnv.put("JUGGLER_CALLEE_ENABLED", "false");
      Map<String, String> calleeEnv = new HashMap<>(common);
      calleeEnv.put("JUGGLER_SERVER_ENABLED", "false");
      calleeEnv.put("JUGGLER_CALLEE_DEMO_ENABLED", "true");
      List<Instance> all = new ArrayList<>();
      try {
        Instance server = start(all, "cluster-server", serverEnv);
        start(all, "cluster-callee", calleeEnv);
        for (Instance i : all) {
          i.awaitReady(300);
        }
        String key = RedisKeys.calls(AT_LEAST_ONCE);
        int master = cluster.masterOf(key);
        boolean sameMaster = cluster.masterOf(RedisKeys.calls(AT_MOST_ONCE)) == master;
        String name = "6 Redis Cluster master SIGKILL";
        scenario(
            name,
            URI.create(server.websocketUrl()),
            all,
            Duration.ofSeconds(5),
            Duration.ofSeconds(12),
            0,
            () -> {
              cluster.kill(master);
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
              while (true) {
                int now = cluster.masterOf(key);
                if (now != -1 && now != master && cluster.healthy()) {
                  break;
                }
                if (System.nanoTime() > deadline) {
                  throw new IllegalStateException("no replica was promoted within 30 s");
                }
                Thread.sleep(100);
              }
            });
        report.note(
            name,
            "the killed master served "
                + AT_LEAST_ONCE
                + (sameMaster ? " and " + AT_MOST_ONCE : " (not " + AT_MOST_ONCE + ")")
                + "; the fault ends when its replica is master and the cluster reports ok"
                + " (node timeout 2 s)");
      } finally {
        all.forEach(Instance::close);
      }
    }
  }

  // ------------------------------------------------------------------ one scenario

  /** A fault: injects it, waits out its duration and heals it (returns when healed). */
  interface Fault {
    void run() throws Exception;
  }

  private void scenario(
      String name,
      URI url,
      List<Instance> instances,
      Duration steady,
      Duration after,
      long extraAllowanceAtLeastOnce,
      Fault fault)
      throws Exception {
    System.out.println("[faults] scenario " + name + " (load " + uptime() + ")");
    Map<Instance, Long> offsets = new LinkedHashMap<>();
    instances.forEach(i -> offsets.put(i, i.logOffset()));
    ConcurrentLinkedQueue<long[]> readiness = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<long[]> registry = new ConcurrentLinkedQueue<>();
    String registryUrl = registryRedis;
    Thread probe =
        new Thread(() -> probe(instances, readiness, registryUrl, registry), "faults-probe");
    probe.setDaemon(true);
    long faultStart;
    long faultEnd;
    List<Driver.CallRecord> records;
    Map<String, Object> reconnects = new LinkedHashMap<>();
    try (Driver d =
        new Driver(url, connections, List.of(AT_MOST_ONCE, AT_LEAST_ONCE), ARGS, timeout, rate)) {
      d.start();
      probe.start();
      Thread.sleep(steady.toMillis());
      faultStart = System.nanoTime();
      fault.run();
      faultEnd = System.nanoTime();
      Thread.sleep(after.toMillis());
      d.stopSending();
      records = d.records();
      List<Long> waits = new ArrayList<>();
      for (long[] r : d.reconnects()) {
        waits.add(r[1] - r[0]);
      }
      waits.sort(null);
      reconnects.put("javaConnectionsReplaced", waits.size());
      reconnects.put("javaReconnectMedianMs", Outcomes.percentile(waits, 50));
      reconnects.put("javaReconnectMaxMs", Outcomes.percentile(waits, 100));
    } finally {
      probe.interrupt();
      probe.join(2_000);
    }
    long faultMs = (faultEnd - faultStart) / 1_000_000;
    int warnings = 0;
    int severe = 0;
    List<String> samples = new ArrayList<>();
    for (Map.Entry<Instance, Long> e : offsets.entrySet()) {
      Instance.LogErrors le = e.getKey().errorsSince(e.getValue());
      warnings += le.warnings();
      severe += le.severe();
      le.samples().forEach(s -> samples.add(e.getKey().name + ": " + s));
    }
    Map<String, Object> ready = readinessSummary(instances, readiness, faultStart, faultEnd);
    Map<String, String> stages = expiredStages(registryUrl, instances);
    Object registryTruthful = registrySummary(registry, faultEnd);
    for (String uri : List.of(AT_MOST_ONCE, AT_LEAST_ONCE)) {
      boolean alo = uri.equals(AT_LEAST_ONCE);
      Map<String, Object> row =
          Outcomes.row(
              name,
              uri,
              alo ? "at least once" : "at most once",
              records,
              faultStart,
              faultEnd,
              1_000_000_000L + (alo ? extraAllowanceAtLeastOnce : 0),
              stages);
      row.put("faultMs", faultMs);
      row.put("readyAgainMs", ready.get("readyAgainMs"));
      row.put("registryTrueAgainMs", registryTruthful);
      row.put("logWarnings", warnings);
      row.put("logSevere", severe);
      row.put("loadAvg1m", Machine.loadAverage());
      row.put("readiness", ready);
      row.put("logSamples", samples);
      row.putAll(reconnects);
      report.add(name, row);
      check(name, row, alo);
    }
  }

  /**
   * Records every 200 ms each live instance's readiness, {nanos, index, status}, and, with a
   * registry Redis, how many instances the registry shows live against how many instances live:
   * {nanos, states, live} (states -1: the registry could not be read). The registry is read as the
   * console reads it ({@link RedisInstances#instances}): a silent state does not count as live.
   */
  private static void probe(
      List<Instance> instances,
      ConcurrentLinkedQueue<long[]> out,
      String registryUrl,
      ConcurrentLinkedQueue<long[]> registry) {
    try (RedisClients clients = registryUrl == null ? null : registryClients(registryUrl)) {
      RedisInstances reader = clients == null ? null : new RedisInstances(clients);
      while (!Thread.currentThread().isInterrupted()) {
        int live = 0;
        for (int i = 0; i < instances.size(); i++) {
          Instance in = instances.get(i);
          if (in.isAlive()) {
            live++;
            int status = in.readiness();
            if (status == -2) {
              return; // stopped while asking
            }
            out.add(new long[] {System.nanoTime(), i, status});
          }
        }
        if (reader != null) {
          registry.add(new long[] {System.nanoTime(), registryStates(reader), live});
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /**
   * Pooled connections to the registry's Redis for the probe, with a 1 s timeout (a frozen Redis
   * must not hold the probe's 200 ms rhythm for long); they reconnect after a Redis restart.
   */
  private static RedisClients registryClients(String url) {
    URI uri = URI.create(url);
    return new RedisClients(
        new RedisSettings(
            List.of(uri),
            List.of(uri),
            false,
            2,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            0,
            0,
            false),
        BrokerMetrics.NONE);
  }

  /**
   * Per instance, the intervals (ms from the fault's start) in which {@code /health/ready} did not
   * answer 200, and how long after the fault ended every live instance was ready again.
   */
  private static Map<String, Object> readinessSummary(
      List<Instance> instances, ConcurrentLinkedQueue<long[]> samples, long start, long end) {
    Map<String, Object> out = new LinkedHashMap<>();
    long readyAgain = 0;
    for (int i = 0; i < instances.size(); i++) {
      int idx = i;
      List<long[]> mine = samples.stream().filter(s -> s[1] == idx).toList();
      List<String> down = new ArrayList<>();
      long from = -1;
      long code = 200;
      long lastNotReady = -1;
      for (long[] s : mine) {
        long t = (s[0] - start) / 1_000_000;
        if (s[2] != code && from >= 0) {
          down.add("+" + from + ".." + t + " ms " + describe(code));
          from = -1;
        }
        if (s[2] != 200) {
          if (from < 0) {
            from = t;
            code = s[2];
          }
          lastNotReady = s[0];
        } else {
          code = 200;
        }
      }
      if (from >= 0) {
        down.add("+" + from + " ms..end " + describe(code));
      }
      if (lastNotReady >= end) {
        // the next sample, up to 200 ms later, was ready (or the run ended)
        readyAgain = Math.max(readyAgain, (lastNotReady - end) / 1_000_000 + 200);
      }
      out.put(instances.get(i).name, down.isEmpty() ? "ready throughout" : String.join(", ", down));
    }
    out.put("readyAgainMs", readyAgain);
    return out;
  }

  /**
   * The stage at which each recently expired call was seen to expire, by uuid (the registry's last
   * 200, as the console's Expired page shows them), once every live instance has published what it
   * saw. Empty without a registry probe.
   */
  private static Map<String, String> expiredStages(String url, List<Instance> instances)
      throws InterruptedException {
    if (url == null) {
      return Map.of();
    }
    awaitExpiredPublished(url);
    Map<String, String> out = new HashMap<>();
    try (Jedis j = jedis(HostAndPort.from(URI.create(url).getAuthority()), 2_000)) {
      for (String json : j.lrange(RedisKeys.REGISTRY_EXPIRED_RECENT, 0, -1)) {
        String uuid = member(json, "msgUuid");
        String stage = member(json, "stage");
        if (uuid != null && stage != null) {
          // the earliest stage wins: a call expired in the queue is also unanswered later
          out.merge(uuid, stage, (x, y) -> x.equals("queue") ? x : y);
        }
      }
    } catch (RuntimeException e) {
      System.err.println("[faults] registry unreadable: " + e);
    }
    return out;
  }

  /**
   * A plain connection for the suite's own probes, in RESP2 without asking the server (Jedis
   * otherwise warns on every connection, and the registry probe opens one every 200 ms).
   */
  static Jedis jedis(HostAndPort at, int timeoutMillis) {
    return new Jedis(
        at,
        DefaultJedisClientConfig.builder()
            .autoNegotiateProtocol(false)
            .timeoutMillis(timeoutMillis)
            .build());
  }

  /**
   * Waits until every instance in the registry has published its state twice since this call: a
   * publisher writes the expired calls it saw right after each state (StatePublisher), so the
   * second publication means those seen before now are written. At most three registry intervals (6
   * s): a killed instance's state stays that long without changing.
   */
  private static void awaitExpiredPublished(String url) throws InterruptedException {
    long since = System.currentTimeMillis();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
    Map<String, Long> firstAfter = new HashMap<>();
    try (RedisClients clients = registryClients(url)) {
      RedisInstances reader = new RedisInstances(clients);
      while (System.nanoTime() - deadline < 0) {
        Map<String, Long> published = registryPublishedAt(reader);
        boolean done = !published.isEmpty();
        for (Map.Entry<String, Long> e : published.entrySet()) {
          long at = e.getValue();
          if (at <= since) {
            done = false;
            continue;
          }
          Long first = firstAfter.putIfAbsent(e.getKey(), at);
          if (first == null || first == at) {
            done = false;
          }
        }
        if (done) {
          return;
        }
        Thread.sleep(100);
      }
    }
    System.err.println("[faults] not every instance published twice in 6 s: " + firstAfter);
  }

  /** publishedAt of every instance state in the registry, by id; empty if unreadable. */
  private static Map<String, Long> registryPublishedAt(RedisInstances reader) {
    Map<String, Long> out = new HashMap<>();
    try {
      reader.instances().forEach(r -> out.put(r.id(), r.state().publishedAt()));
    } catch (RuntimeException e) {
      out.clear();
    }
    return out;
  }

  /** A string member of a flat JSON object, or null. */
  private static String member(String json, String name) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }

  /**
   * Instances the registry shows live, read as the console reads them (the states with their PTTLs,
   * silent ones not counted); -1 if unreadable.
   */
  private static long registryStates(RedisInstances reader) {
    try {
      return reader.instances().stream().filter(RegisteredInstance::live).count();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * How long after the fault ended the registry (what the console shows) told the truth again for
   * good: as many instances shown live (states neither expired nor silent) as live instances. A
   * killed instance counts as gone once the registry finds it silent: 1.5 registry intervals after
   * its last publication at the default interval (InstanceRegistry.silentAfter), not when its state
   * expires after three. "n/a" without a registry probe.
   */
  private static Object registrySummary(ConcurrentLinkedQueue<long[]> samples, long end) {
    if (samples.isEmpty()) {
      return "n/a";
    }
    long lastWrong = -1;
    for (long[] s : samples) {
      if (s[1] != s[2]) {
        lastWrong = s[0];
      }
    }
    return lastWrong < end ? 0L : (lastWrong - end) / 1_000_000 + 200;
  }

  private static String describe(long status) {
    return status < 0 ? "(no answer in 2 s)" : "(" + status + ")";
  }

  /** The targets of issue 12, recorded as failures of the run (only --short exits with them). */
  private void check(String name, Map<String, Object> row, boolean alo) {
    if (!quick) {
      return;
    }
    long lost = (Long) row.get("lost");
    long stuck = (Long) row.get("stuck");
    if (alo && lost > 0) {
      failures.add(name + ": " + lost + " ACKed at-least-once calls lost");
    }
    if (stuck > 0) {
      failures.add(name + ": " + stuck + " calls " + row.get("uri") + " without any outcome");
    }
    if (name.startsWith("1") && !alo && lost > 0) {
      failures.add(name + ": " + lost + " ACKed calls unanswered after Redis returned");
    }
  }

  // ------------------------------------------------------------------ helpers

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String uptime() {
    try {
      return SuiteRedis.run("uptime").trim();
    } catch (IOException e) {
      return "load average " + Machine.loadAverage();
    }
  }

  private static String redisVersion() {
    try {
      return SuiteRedis.run("redis-server", "--version").trim();
    } catch (IOException e) {
      throw new IllegalStateException(
          "no redis-server on the PATH: install the Debian package redis-server", e);
    }
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        System.err.println(
            "usage: see io.juggler.faults.Faults's Javadoc; bad argument " + args[i]);
        System.exit(2);
      }
      String k = args[i].substring(2);
      if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        m.put(k, args[++i]);
      } else {
        m.put(k, "true");
      }
    }
    return m;
  }
}
