package io.juggler.faults;

import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.redis.RedisClients;
import io.juggler.broker.redis.RedisExpiredRecord;
import io.juggler.broker.redis.RedisInstances;
import io.juggler.broker.redis.RedisKeys;
import io.juggler.broker.redis.RedisSettings;
import io.juggler.client.commandline.CommandLine;
import io.juggler.client.commandline.Durations;
import io.juggler.launcher.Machine;
import io.juggler.launcher.Nginx;
import io.juggler.message.RawJson;
import io.juggler.registry.ExpiredCall;
import io.juggler.registry.ExpiredRecord;
import io.juggler.registry.RegisteredInstance;
import io.juggler.testing.redis.RedisCluster;
import io.juggler.testing.redis.RedisProcess;
import io.juggler.testing.report.Report;
import java.io.IOException;
import java.net.InetSocketAddress;
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

/**
 * The fault suite ({@code ./faults.sh}): starts real processes on loopback (Redis, Payara Micro
 * servers and callee instances, nginx), drives steady RPC load with the Java client on an
 * at-most-once URI ({@code test.delay}) and an at-least-once one ({@code test.reliable.delay}),
 * injects one fault per scenario with real signals, and writes {@code <out>/faults-<date>.json} and
 * {@code .md}; or the soak ({@link Soak}). The scenarios and the options are in {@link #OPTIONS}
 * ({@code ./faults.sh --no-build --help}); scenario 5's slow Redis is the suite's {@link
 * LatencyProxy} (which says why not tc netem).
 */
public final class Faults {

  static final String AT_MOST_ONCE = "test.delay";
  static final String AT_LEAST_ONCE = "test.reliable.delay";
  static final RawJson ARGS = RawJson.of("\"100\""); // 100 ms in the function
  static final Duration LEASE = Duration.ofSeconds(5); // juggler.callee.lease's default

  /** Every write on disk before Redis acknowledges it: a SIGKILL loses nothing acknowledged. */
  static final String[] AOF_ALWAYS = {"--appendonly", "yes", "--appendfsync", "always"};

  static final CommandLine OPTIONS =
      new CommandLine(
              "./faults.sh [--no-build] [OPTIONS]",
              "The fault suite: real processes on loopback, steady RPC load on an at-most-once and"
                  + " an at-least-once\nURI, one fault per scenario, then the report"
                  + " OUT/faults-DATE.json and .md. Scenarios:\n"
                  + "  1 Redis SIGKILL for 5 s, restarted on the same port (AOF always: nothing"
                  + " acknowledged is lost)\n"
                  + "  2 Redis SIGSTOP for 10 s, then SIGCONT (the half-open case)\n"
                  + "  3 a callee instance SIGKILLed while calls are in flight\n"
                  + "  4 a server instance SIGKILLed behind nginx: Java and JavaScript clients"
                  + " resume their sessions\n"
                  + "  5 Redis slowed: every byte between the instances and Redis delayed by the"
                  + " suite's proxy\n"
                  + "  6 Redis Cluster (3 masters + 3 replicas): the master of the at-least-once URI"
                  + " SIGKILLed\n"
                  + "  7 every client connection reset at once (a network drop): the clients resume"
                  + " their sessions\nDurations are written like 10s, 500ms, 1m30s.")
          .option("scenarios", "LIST", "which scenarios (default 1,2,3,4,5,6,7; --short: 1,3)")
          .flag(
              "short",
              "CI: scenarios 1 and 3, shorter phases, fewer processes; exits 1 when a target is"
                  + " missed (at-least-once calls lost, stuck calls)")
          .option(
              "out",
              "DIR",
              "where the report goes (default docs/faults; --short: juggler-faults/target)")
          .option("connections", "N", "load connections (default 10; --short: 4)")
          .option("rate", "R", "calls per second per connection and URI (default 5)")
          .option("timeout", "DURATION", "the calls' timeout (default 10s)")
          .option("latency", "MS", "scenario 5: delay each way, in milliseconds (default 25)")
          .option("soak", "DURATION", "run the soak (see Soak) for this long instead, e.g. 10m")
          .option(
              "soak-warmup",
              "DURATION",
              "soak: load before the measured part, not counted (default 60s)")
          .option(
              "soak-rate",
              "R",
              "soak: calls per second in all, instead of 80 % of the peak measured first");

  private final CommandLine.Parsed opts;
  private final Set<String> scenarios;
  private LatencyProxy clientProxy;
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

  private Faults(CommandLine.Parsed opts) {
    this.opts = opts;
    this.quick = opts.flag("short");
    this.scenarios =
        new TreeSet<>(
            List.of(opts.string("scenarios", quick ? "1,3" : "1,2,3,4,5,6,7").split(",")));
    this.connections = Integer.parseInt(opts.string("connections", quick ? "4" : "10"));
    this.rate = Double.parseDouble(opts.string("rate", "5"));
    this.timeout = Durations.parse(opts.string("timeout", "10s"));
    Map<String, Object> machine = Machine.describe(redisVersion());
    machine.put("uptimeAtStart", uptime());
    this.report =
        new Report("faults", "Juggler EE fault suite" + (quick ? " (short)" : ""), machine);
    report.inNameOrder();
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
    CommandLine.Parsed opts = OPTIONS.parseOrExit("faults", args);
    if (opts.has("soak")) {
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
    Path out = Path.of(opts.string("out", quick ? "juggler-faults/target" : "docs/faults"));
    String name = "faults-" + LocalDate.now() + (quick ? "-short" : "");
    report.write(out, name);
    System.out.println("[faults] results written to " + out.resolve(name + ".md"));
  }

  // ------------------------------------------------------------------ system A: one Redis

  private void runStandalone() throws Exception {
    boolean nginx = scenarios.contains("4");
    try (RedisProcess redis =
            RedisProcess.options()
                .dir(work.resolve("redis"))
                .args(AOF_ALWAYS)
                .args("--protected-mode", "no")
                .start();
        LatencyProxy proxy =
            new LatencyProxy(freePort(), new InetSocketAddress(RedisProcess.HOST, redis.port()))) {
      report.parameter(
          "redis",
          "one redis-server on loopback, AOF with appendfsync always; the instances reach it"
              + " through the suite's latency proxy (LatencyProxy), which only forwards outside"
              + " scenario 5");
      registryRedis = redis.url();
      Map<String, String> common = new HashMap<>();
      common.put("JUGGLER_REDIS_URL", "redis://" + RedisProcess.HOST + ":" + proxy.port());
      Map<String, String> serverEnv = serverOnly(common);
      Map<String, String> calleeEnv = calleeOnly(common);
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
        // scenario 7's clients reach the servers through a proxy that can reset them all
        clientProxy =
            new LatencyProxy(freePort(), new InetSocketAddress(url.getHost(), url.getPort()));
        try {
          Duration steady = Duration.ofSeconds(quick ? 3 : 5);
          Duration after = Duration.ofSeconds(quick ? 8 : 12);
          URI target = url;
          int ms = Integer.parseInt(opts.string("latency", "25"));
          List<Scenario> faults =
              List.of(
                  new Scenario(
                      "1",
                      "1 Redis SIGKILL 5 s",
                      0,
                      true,
                      () -> {
                        redis.kill();
                        Thread.sleep(5_000);
                        redis.restart();
                      },
                      null),
                  new Scenario(
                      "2",
                      "2 Redis SIGSTOP 10 s",
                      0,
                      true,
                      () -> {
                        redis.freeze(true);
                        Thread.sleep(10_000);
                        redis.freeze(false);
                      },
                      null),
                  new Scenario(
                      "5",
                      "5 Redis +" + 2 * ms + " ms round trip for 15 s",
                      0,
                      true,
                      () -> {
                        proxy.delay(ms);
                        Thread.sleep(15_000);
                        proxy.delay(0);
                      },
                      null),
                  new Scenario(
                      "3",
                      "3 callee SIGKILL",
                      LEASE.toNanos() + 1_000_000_000L,
                      false,
                      callee1::kill,
                      null),
                  new Scenario(
                      "7",
                      "7 client network drop (every client connection reset)",
                      0,
                      true,
                      () -> {
                        clientProxy.cut();
                        Thread.sleep(1_000);
                      },
                      null,
                      URI.create("ws://127.0.0.1:" + clientProxy.port() + "/ws"),
                      true),
                  new Scenario(
                      "4",
                      "4 server SIGKILL behind nginx",
                      0,
                      false,
                      server1::kill,
                      () -> {
                        JsClient js =
                            JsClient.start(
                                work,
                                target,
                                AT_MOST_ONCE,
                                steady.plus(after).plusSeconds(2),
                                Duration.ofMillis(100),
                                timeout);
                        return () -> "JavaScript client: " + js.result();
                      },
                      null,
                      true));
          for (Scenario s : faults) {
            if (!scenarios.contains(s.number())) {
              continue;
            }
            Note alongside = s.alongside() == null ? null : s.alongside().start();
            scenario(
                s.name(),
                s.via() == null ? target : s.via(),
                all,
                steady,
                after,
                s.extraAllowanceAtLeastOnce(),
                s.fault(),
                s.resuming());
            if (alongside != null) {
              report.note(s.name(), alongside.text());
            }
            if (s.settles()) {
              settle(all);
            }
          }
        } finally {
          if (lb != null) {
            lb.close();
          }
          clientProxy.close();
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
    try (RedisCluster cluster =
        RedisCluster.options()
            .replicas(1)
            .nodeTimeout(Duration.ofSeconds(2))
            .dir(work.resolve("cluster"))
            .args(AOF_ALWAYS)
            .start()) {
      Map<String, String> common = new HashMap<>();
      common.put("JUGGLER_REDIS_URL", cluster.seedUrls());
      common.put("JUGGLER_REDIS_CLUSTER", "true");
      Map<String, String> serverEnv = serverOnly(common);
      Map<String, String> calleeEnv = calleeOnly(common);
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
              cluster.node(master).kill();
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
              while (true) {
                int now = cluster.masterOf(key);
                if (now != -1 && now != master && cluster.isServing()) {
                  break;
                }
                if (System.nanoTime() > deadline) {
                  throw new IllegalStateException("no replica was promoted within 30 s");
                }
                Thread.sleep(100);
              }
            },
            false);
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

  /**
   * A scenario of system A, run in the order of the list: first those that heal, each followed by a
   * wait until every instance is ready again, then those that kill an instance for good.
   *
   * @param number what {@code --scenarios} names it by
   * @param name its name in the report
   * @param extraAllowanceAtLeastOnce nanoseconds more an at-least-once call may take to end (a
   *     killed callee's lease)
   * @param settles whether every instance must be ready again before the next scenario
   * @param fault the fault itself
   * @param alongside what runs beside the load (started before it), or null
   */
  private record Scenario(
      String number,
      String name,
      long extraAllowanceAtLeastOnce,
      boolean settles,
      Fault fault,
      Alongside alongside,
      URI via,
      boolean resuming) {

    Scenario(
        String number,
        String name,
        long extraAllowanceAtLeastOnce,
        boolean settles,
        Fault fault,
        Alongside alongside) {
      this(number, name, extraAllowanceAtLeastOnce, settles, fault, alongside, null, false);
    }
  }

  /** A fault: injects it, waits out its duration and heals it (returns when healed). */
  interface Fault {
    void run() throws Exception;
  }

  /** Something started beside a scenario's load (scenario 4's JavaScript client). */
  interface Alongside {
    /** Starts it; the note it returns is written under the scenario's table afterwards. */
    Note start() throws IOException;
  }

  /** A line for the report, once there is something to say. */
  interface Note {
    String text() throws Exception;
  }

  /**
   * One scenario; with {@code resuming}, the Java clients have sessions and resume them, and a
   * publisher and a subscriber on a channel with history ({@link HistoryProbe}) run beside the
   * calls: the report says what reached the subscriber.
   */
  private void scenario(
      String name,
      URI url,
      List<Instance> instances,
      Duration steady,
      Duration after,
      long extraAllowanceAtLeastOnce,
      Fault fault,
      boolean resuming)
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
    Map<String, Object> history = new LinkedHashMap<>();
    HistoryProbe events = resuming ? new HistoryProbe(url, registryRedis) : null;
    try (Driver d =
        new Driver(
            url,
            connections,
            List.of(AT_MOST_ONCE, AT_LEAST_ONCE),
            ARGS,
            timeout,
            rate,
            resuming)) {
      if (events != null) {
        events.start(50);
      }
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
      reconnects.put("javaClientsResume", resuming);
      if (events != null) {
        history.putAll(events.result(Duration.ofSeconds(10)));
      }
    } finally {
      probe.interrupt();
      probe.join(2_000);
      if (events != null) {
        events.close();
      }
    }
    if (!history.isEmpty()) {
      report.note(
          name, "History channel (a resuming publisher and subscriber, 50 events/s): " + history);
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
      row.putAll(history);
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

  /** The environment of a server-only instance: {@code common} with the callee role off. */
  static Map<String, String> serverOnly(Map<String, String> common) {
    Map<String, String> env = new HashMap<>(common);
    env.put("JUGGLER_CALLEE_ENABLED", "false");
    env.put("JUGGLER_HISTORY_CHANNELS", HistoryProbe.CHANNELS);
    return env;
  }

  /** The environment of a callee-only instance serving the demo functions. */
  static Map<String, String> calleeOnly(Map<String, String> common) {
    Map<String, String> env = new HashMap<>(common);
    env.put("JUGGLER_SERVER_ENABLED", "false");
    env.put("JUGGLER_CALLEE_DEMO_ENABLED", "true");
    return env;
  }

  /**
   * The stage at which each recently expired call was seen to expire, by uuid (the registry's last
   * 200, read as the console's Expired page reads them: {@link ExpiredRecord#recentExpired}), once
   * every live instance has published what it saw. Empty without a registry probe.
   */
  private static Map<String, String> expiredStages(String url, List<Instance> instances)
      throws InterruptedException {
    if (url == null) {
      return Map.of();
    }
    awaitExpiredPublished(url);
    Map<String, String> out = new HashMap<>();
    try (RedisClients clients = registryClients(url)) {
      ExpiredRecord record = new RedisExpiredRecord(clients);
      for (ExpiredCall call : record.recentExpired(ExpiredRecord.RECENT_EXPIRED)) {
        if (call.msgUuid() != null && call.stage() != null) {
          // the earliest stage wins: a call expired in the queue is also unanswered later
          out.merge(
              call.msgUuid(), call.stage(), (x, y) -> x.equals(ExpiredCall.Stage.QUEUE) ? x : y);
        }
      }
    } catch (RuntimeException e) {
      System.err.println("[faults] registry unreadable: " + e);
    }
    return out;
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
      return run("uptime").trim();
    } catch (IOException e) {
      return "load average " + Machine.loadAverage();
    }
  }

  private static String redisVersion() {
    try {
      return run("redis-server", "--version").trim();
    } catch (IOException e) {
      throw new IllegalStateException(
          "no redis-server on the PATH: install the Debian package redis-server", e);
    }
  }

  /** Runs a command; throws with its output when it fails. */
  static String run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", cmd), e);
    }
    return out;
  }
}
