package io.juggler.bench;

import io.juggler.broker.redis.RedisKeys;
import io.juggler.client.commandline.CommandLine;
import io.juggler.client.commandline.Durations;
import io.juggler.launcher.Machine;
import io.juggler.launcher.PayaraServer;
import io.juggler.launcher.ServerProcess;
import io.juggler.message.Uuids;
import io.juggler.testing.redis.RedisProcess;
import io.juggler.testing.report.Report;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Runs the benchmark scenarios and writes {@code <out>/bench-<date>.json} and {@code .md} ({@code
 * bench-<date>-open-liberty.*} or {@code -payara-server.*} with that {@code --runtime}, {@code
 * -jdk25coh} added with {@code --server-jdk 25+coh}, {@code bench-<date>-reference.*} when only
 * scenarios 4 and 5 run). The options are {@link #OPTIONS} ({@code ./bench.sh --help}).
 *
 * <p>Scenarios: 0 Redis's own ceiling, 1 RPC, 2 pub-sub fan-out, 3 idle scale (Juggler EE with a
 * separate callee instance); 4 RPC against the Go reference (side by side, the default deployment:
 * the WAR with its callee in one Payara Micro, and the EAR on Open Liberty when laid out by {@code
 * ./mvnw -pl juggler-ear liberty:create liberty:deploy}, each on the JDK its system names, with the
 * CPU per call of server, Redis and load tool, and the server's own counts beside the tool's); 5
 * the reference's idle scale and its pub-sub fan-out (as scenario 2, same rates and subscribers).
 * docs/benchmarks/README.md describes every column.
 */
public final class Bench {

  static final CommandLine OPTIONS =
      new CommandLine(
              "./bench.sh [OPTIONS]",
              "Runs the benchmark scenarios on this machine (0 Redis's own ceiling, 1 RPC, 2"
                  + " pub-sub fan-out,\n3 idle scale; 4 and 5 against the Go reference; 6 pub-sub"
                  + " fan-out on a channel with\nhistory, and Redis memory per 10,000 kept events)"
                  + " and writes"
                  + " OUT/bench-DATE.json and .md.\nDurations are written like 10s, 500ms, 1m30s.")
          .option(
              "duration",
              "DURATION",
              "how long each measured step runs, after a short warm-up (default 10s)")
          .option(
              "scenarios", "LIST", "which scenarios (default 0,1,2,3, and 4,5 with --reference)")
          .option("out", "DIR", "where the results go (default docs/benchmarks)")
          .option("idle", "N", "connections for the idle-scale scenario (default 10000)")
          .option(
              "connections",
              "LIST",
              "RPC connections, one call in flight each (scenario 1: default 1,10,100,1000;"
                  + " scenario 4: 10,100,1000)")
          .option(
              "subscribers",
              "N",
              "pub-sub subscribers (scenario 2, and the reference's in 5; default 1000)")
          .option(
              "publish-rates",
              "LIST",
              "publications/s tried in turn until delivery falls behind (p99 event latency over 1"
                  + " s, or events missed; default 10,25,50,75,100,150,200,400)")
          .option(
              "runtime",
              "NAME",
              "the websocket server's runtime (scenarios 1-3): payara-micro (the WAR; default),"
                  + " open-liberty (the EAR on Open Liberty; needs ./mvnw -pl juggler-ear"
                  + " liberty:create liberty:deploy after the install) or payara-server (the EAR in"
                  + " a Payara Server domain, with its default heap of 512 MB; needs ./mvnw -pl"
                  + " juggler-ear dependency:unpack@payara-server). The callee instance is Payara"
                  + " Micro either way.")
          .option(
              "server-jdk",
              "JDK",
              "scenarios 1-3: the JDK of the websocket server and the callee instance"
                  + " (payara-micro and open-liberty): a feature version (25:"
                  + " /usr/lib/jvm/temurin-25-jdk-amd64), or a java home; a suffix +coh adds"
                  + " -XX:+UseCompactObjectHeaders (ServerJvm). Default: the bench's own JVM.")
          .option(
              "server-jvm-options",
              "OPTIONS",
              "scenarios 1-3: more options for those JVMs, as one argument (\"-Xmx2g"
                  + " -XX:+UseZGC\")")
          .option(
              "reference",
              "DIR",
              "the Go reference (DIR/bin/juggler-server, juggler-callee, juggler-load; see"
                  + " docs/benchmarks/README.md, \"Against the reference\"): adds scenarios 4 and"
                  + " 5 to the default selection. Absent binaries: said so, and the reference"
                  + " columns are skipped.")
          .option(
              "systems",
              "LIST",
              "scenario 4: which systems run, in this order (default go,payara-micro,open-liberty;"
                  + " Liberty only when laid out). A Juggler EE system may name a JDK after @,"
                  + " spelled as for --server-jdk: payara-micro@25, open-liberty@25+coh")
          .option(
              "warmup",
              "DURATION",
              "scenario 4: load before each measured run, at the same connection count (default"
                  + " 45s)")
          .option(
              "warmup-round",
              "DURATION",
              "scenario 4: length of each of the 4 runs of the warm-up curve right after a server"
                  + " starts; they count towards the first count's warm-up (default 15s)")
          .option(
              "reference-idle",
              "N",
              "scenario 5: idle connections on the reference (3 file descriptors each between its"
                  + " server and Redis: the limit here is 20,000; default 5000)");

  public static void main(String[] args) throws Exception {
    CommandLine.Parsed opts = OPTIONS.parseOrExit("bench", args);
    Duration duration = Durations.parse(opts.string("duration", "10s"));
    Path referenceDir = opts.has("reference") ? Path.of(opts.string("reference", null)) : null;
    Path referenceBin = GoReference.binaries(referenceDir);
    if (referenceDir != null && referenceBin == null) {
      System.out.println(
          "[bench] no Go reference binaries in "
              + referenceDir.resolve("bin")
              + ": the reference columns are skipped");
    }
    Set<String> scenarios =
        Set.of(
            opts.string("scenarios", referenceDir != null ? "0,1,2,3,4,5" : "0,1,2,3").split(","));
    Path out = Path.of(opts.string("out", "docs/benchmarks"));
    int idle = Integer.parseInt(opts.string("idle", "10000"));
    int subscribers = Integer.parseInt(opts.string("subscribers", "1000"));
    int[] rpcConnections = ints(opts.string("connections", "1,10,100,1000"));
    int[] publishRates = ints(opts.string("publish-rates", "10,25,50,75,100,150,200,400"));
    Path work = Path.of("juggler-bench", "target", "run");
    Path runtime = Path.of("juggler-launcher", "target", "runtime");
    String serverRuntime = opts.string("runtime", EeServers.PAYARA_MICRO);
    if (!List.of(EeServers.PAYARA_MICRO, EeServers.OPEN_LIBERTY, PAYARA_SERVER)
        .contains(serverRuntime)) {
      System.err.println(
          "--runtime: payara-micro, open-liberty or payara-server, not " + serverRuntime);
      System.exit(2);
    }
    if (serverRuntime.equals(PAYARA_SERVER)
        && (opts.has("server-jdk") || opts.has("server-jvm-options"))) {
      System.err.println(
          "--server-jdk and --server-jvm-options apply to payara-micro and open-liberty; the"
              + " Payara Server domain runs on the JDK its asadmin finds");
      System.exit(2);
    }
    ServerJvm serverJvm;
    List<SystemSpec> systems;
    try {
      serverJvm =
          ServerJvm.parse(opts.string("server-jdk", ""), ServerJvm.JVMS)
              .withOptions(words(opts.string("server-jvm-options", "")));
      systems = SystemSpec.list(opts.string("systems", String.join(",", SideBySide.SYSTEMS)));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Path wlp = AgainstReference.liberty(Path.of("juggler-ear", "target", "liberty", "wlp"));
    if (serverRuntime.equals(EeServers.OPEN_LIBERTY)
        && wlp == null
        && Set.of("1", "2", "3").stream().anyMatch(scenarios::contains)) {
      System.err.println(
          "--runtime open-liberty: Open Liberty is not laid out in juggler-ear/target/liberty/wlp;"
              + " run "
              + EeServers.LIBERTY_LAYOUT);
      System.exit(2);
    }

    try (RedisProcess redis =
            RedisProcess.options()
                .dir(work.resolve("redis"))
                .args("--maxclients", "50000")
                .start();
        Jedis admin = new Jedis(new HostAndPort("127.0.0.1", redis.port()))) {
      String version =
          admin
              .info("server")
              .lines()
              .filter(l -> l.startsWith("redis_version:"))
              .findFirst()
              .orElse("?")
              .substring(14);
      Report report =
          new Report("bench", "Juggler EE benchmark results", Machine.describe(version));
      report.parameter("durationPerStepSeconds", duration.toSeconds());
      report.parameter("serverRuntime", serverRuntime);
      if (scenarios.contains("4") || scenarios.contains("5")) {
        report.parameter(
            "reference",
            referenceBin != null
                ? referenceBin.toAbsolutePath().normalize().toString()
                : "absent (reference columns skipped)");
      }
      if (scenarios.contains("4")) {
        Duration warmup = Durations.parse(opts.string("warmup", "45s"));
        Duration round = Durations.parse(opts.string("warmup-round", "15s"));
        report.parameter("referenceWarmupSeconds", warmup.toMillis() / 1000.0);
        report.parameter("referenceWarmupRoundSeconds", round.toMillis() / 1000.0);
        report.parameter(
            "referenceRedis",
            "a fresh redis-server " + version + " (the same binary) per system, stopped after it");
        report.parameter(
            "referenceOpenLiberty",
            wlp != null ? "juggler-ear/target/liberty/wlp" : "not laid out (column skipped)");
        AgainstReference.rpc(
            new AgainstReference.Settings(
                referenceBin,
                ints(opts.string("connections", "10,100,1000")),
                warmup,
                round,
                duration,
                work,
                runtime,
                wlp,
                systems),
            report);
      }
      if (scenarios.contains("5")) {
        if (referenceBin == null) {
          System.out.println("[bench] scenario 5 needs the Go reference: skipped");
        } else {
          int n = Integer.parseInt(opts.string("reference-idle", "5000"));
          AgainstReference.idle(referenceBin, work, new int[] {10, n}, report);
          AgainstReference.pubsub(referenceBin, work, subscribers, publishRates, duration, report);
        }
      }
      HostAndPort hp = new HostAndPort("127.0.0.1", redis.port());

      double ceiling = 0;
      if (scenarios.contains("0")) {
        for (int pairs : new int[] {1, 8}) {
          Map<String, Object> raw = new LinkedHashMap<>();
          raw.put("variant", "raw LPUSH/BRPOP");
          raw.put("producerConsumerPairs", pairs);
          raw.putAll(RawRoundTrips.raw(hp, pairs, duration));
          raw.put("loadAverage1m", Machine.loadAverage());
          report.add("0-ceiling", raw);
          if (pairs == 1) {
            ceiling = ((Number) raw.get("roundTripsPerSecond")).doubleValue();
          }
          Map<String, Object> scripted = new LinkedHashMap<>();
          scripted.put("variant", "register script + JSON + TTL take");
          scripted.put("producerConsumerPairs", pairs);
          scripted.putAll(RawRoundTrips.broker(URI.create(redis.url()), pairs, duration));
          scripted.put("loadAverage1m", Machine.loadAverage());
          report.add("0-ceiling", scripted);
        }
      }

      if (scenarios.contains("1")
          || scenarios.contains("2")
          || scenarios.contains("3")
          || scenarios.contains("6")) {
        // production topology: a websocket server and a separate callee instance
        try (ServerProcess server =
                serverRuntime.equals(PAYARA_SERVER)
                    ? payaraServer(
                        work,
                        Map.of(
                            "juggler.redis.url",
                            redis.url(),
                            "juggler.callee.enabled",
                            "false",
                            "juggler.history.channels",
                            HISTORY_CHANNELS))
                    : EeServers.start(
                        serverRuntime,
                        serverJvm,
                        work,
                        runtime,
                        wlp,
                        Map.of(
                            "JUGGLER_REDIS_URL",
                            redis.url(),
                            "JUGGLER_CALLEE_ENABLED",
                            "false",
                            "JUGGLER_HISTORY_CHANNELS",
                            HISTORY_CHANNELS),
                        serverRuntime);
            ServerProcess callee =
                scenarios.contains("1")
                    ? EeServers.start(
                        EeServers.PAYARA_MICRO,
                        serverRuntime.equals(PAYARA_SERVER) ? ServerJvm.bench() : serverJvm,
                        work,
                        runtime,
                        null,
                        Map.of(
                            "JUGGLER_REDIS_URL",
                            redis.url(),
                            "JUGGLER_SERVER_ENABLED",
                            "false",
                            "JUGGLER_CALLEE_DEMO_ENABLED",
                            "true"),
                        "callee")
                    : null) {
          report.parameter("serverReadySeconds", EeServers.awaitReady(server));
          report.parameter("serverJdk", ServerJvm.running(server.pid()));
          if (callee != null) {
            EeServers.awaitReady(callee);
            report.parameter("calleeJdk", ServerJvm.running(callee.pid()));
          }
          if (scenarios.contains("1")) {
            for (int n : rpcConnections) {
              report.add(
                  "1-rpc",
                  LoadScenarios.rpc(
                      server.websocketUrl(), n, duration, ceiling, server.pid(), callee.pid()));
            }
          }
          if (scenarios.contains("2") || scenarios.contains("6")) {
            // scenario 6 (issue 23): the same fan-out on a channel that keeps its last 10,000
            // events. With both, each rate runs without and with history in turn, after one step
            // of warm-up that is not reported: neither goes first on a cold server.
            String historyChannel = "bench.history." + Uuids.random().substring(0, 8);
            boolean both = scenarios.contains("2") && scenarios.contains("6");
            if (both) {
              LoadScenarios.pubsub(
                  server.websocketUrl(), subscribers, publishRates[0], duration, server.pid());
            }
            boolean plainUp = scenarios.contains("2");
            boolean historyUp = scenarios.contains("6");
            for (int rate : publishRates) {
              if (plainUp) {
                Map<String, Object> row =
                    LoadScenarios.pubsub(
                        server.websocketUrl(), subscribers, rate, duration, server.pid());
                report.add("2-pubsub-fanout", row);
                plainUp =
                    Boolean.TRUE.equals(row.get("keepsUp")); // saturated: higher rates pile up
              }
              if (historyUp) {
                Map<String, Object> row =
                    LoadScenarios.pubsub(
                        server.websocketUrl(),
                        subscribers,
                        rate,
                        duration,
                        server.pid(),
                        historyChannel);
                report.add("6-pubsub-fanout-history", row);
                historyUp = Boolean.TRUE.equals(row.get("keepsUp"));
              }
              if (!plainUp && !historyUp) {
                break;
              }
            }
            if (scenarios.contains("6")) {
              report.add("6-history-memory", historyMemory(redis, historyChannel));
            }
          }
          if (scenarios.contains("3")) {
            Map<String, Object> first = null;
            for (int n : new int[] {10, idle}) {
              Map<String, Object> row = IdleScale.measure(server, admin, n);
              if (first != null) {
                row.put("heapKbPerConnection", IdleScale.heapKbPerConnection(first, row));
              }
              row.put("loadAverage1m", Machine.loadAverage());
              report.add("3-idle-scale", row);
              first = first == null ? row : first;
            }
          }
        }
      }
      String name =
          "bench-"
              + LocalDate.now()
              + (serverRuntime.equals(EeServers.PAYARA_MICRO) ? "" : "-" + serverRuntime)
              + (serverJvm.spelling().isEmpty()
                  ? ""
                  : "-jdk" + serverJvm.spelling().replaceAll("[^A-Za-z0-9]", ""))
              + (Set.of("4", "5").containsAll(scenarios) ? "-reference" : "");
      report.write(out, name);
      System.out.println("[bench] results written to " + out.resolve(name + ".md"));
    }
  }

  /** The channels the bench's server keeps a history of (scenario 6). */
  static final String HISTORY_CHANNELS = "bench.history.* 10000 10m";

  /**
   * What the history of {@code channel} takes in Redis, after scenario 6 published on it: its
   * stream's memory ({@code MEMORY USAGE}, every node sampled) per event kept, times 10,000.
   */
  static Map<String, Object> historyMemory(RedisProcess redis, String channel) {
    Map<String, Object> row = new LinkedHashMap<>();
    try (Jedis j = redis.jedis()) {
      String key = RedisKeys.history(channel);
      long kept = j.xlen(key);
      Long bytes = j.memoryUsage(key, 0);
      row.put("eventsKept", kept);
      row.put("streamBytes", bytes == null ? 0 : bytes);
      row.put(
          "bytesPer10000Events",
          kept == 0 || bytes == null ? 0 : Math.round(bytes * 10_000.0 / kept));
    }
    return row;
  }

  /** The Payara Server runtime (not a child process of the bench: a domain). */
  private static final String PAYARA_SERVER = "payara-server";

  /** Options given as one argument, split at spaces. */
  static List<String> words(String options) {
    return options.isBlank() ? List.of() : List.of(options.strip().split("\\s+"));
  }

  /** The EAR in a Payara Server domain made for this run under {@code work/payara-server}. */
  private static PayaraServer payaraServer(Path work, Map<String, String> settings)
      throws Exception {
    Path domains = work.resolve("payara-server");
    if (java.nio.file.Files.exists(domains.resolve(PayaraServer.DOMAIN))) {
      try (var files = java.nio.file.Files.walk(domains.resolve(PayaraServer.DOMAIN))) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.delete(f);
        }
      }
    }
    Path ear = Path.of("juggler-ear", "target");
    return PayaraServer.start(
        ear.resolve("payara-server/payara6"),
        domains,
        freePort(),
        freePort(),
        settings,
        ear.resolve("juggler-ear.ear"),
        domains.resolve("asadmin.log"),
        false);
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
