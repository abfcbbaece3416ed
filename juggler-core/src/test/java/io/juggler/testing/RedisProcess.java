package io.juggler.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One real redis-server process listening on 127.0.0.1 at a free port, with persistence off and a
 * private temporary working directory holding its log ({@link #logFile()}). {@link #start} returns
 * only once the server answers PING (within {@link #STARTUP_TIMEOUT}) and fails with the server's
 * output otherwise. {@link #stop()} / {@link #kill()} end the process while keeping the port;
 * {@link #restart()} starts it again on the same port (for outage tests); {@link #close()} ends it
 * for good and deletes its directory. A JVM shutdown hook kills any process still running, so none
 * outlives the test JVM. Extra arguments may contain {@code {port}}, replaced by the chosen port.
 *
 * <p>A test class that needs a Redis of its own (e.g. an Arquillian IT, whose deployment needs the
 * URL before any test runs) declares {@code @RegisterExtension static final RedisProcess REDIS =
 * RedisProcess.start();}: it is started when the class is loaded and closed after the class's last
 * test.
 */
public final class RedisProcess implements AutoCloseable, AfterAllCallback {

  /** How long a start may take until the server answers PING. */
  public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

  /** The loopback address every process binds to. */
  public static final String HOST = "127.0.0.1";

  private static final Logger LOG = Logger.getLogger(RedisProcess.class.getName());
  private static final int START_ATTEMPTS = 3;
  private static final int CLUSTER_BUS_OFFSET = 10000;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<RedisProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(RedisProcess::killAllLive, "juggler-redis-shutdown"));
  }

  private final RedisBinary binary;
  private final List<String> extraArgs;
  private final boolean clusterEnabled;
  private final String password;
  private final Path dir;
  private final Path logFile;
  private int port;
  private volatile Process process;
  private boolean closed;

  private RedisProcess(RedisBinary binary, List<String> extraArgs) throws IOException {
    this.binary = binary;
    this.extraArgs = List.copyOf(extraArgs);
    this.clusterEnabled = isClusterEnabled(this.extraArgs);
    int i = this.extraArgs.indexOf("--requirepass");
    this.password = i >= 0 && i + 1 < this.extraArgs.size() ? this.extraArgs.get(i + 1) : null;
    this.dir = Files.createTempDirectory("juggler-redis-");
    this.logFile = dir.resolve("redis.log");
  }

  /** Starts a server with {@link RedisBinary#locate()} and the given extra arguments. */
  public static RedisProcess start(String... extraArgs) {
    return start(RedisBinary.locate(), List.of(extraArgs));
  }

  /** Starts a server with the given binary and extra arguments. */
  public static RedisProcess start(RedisBinary binary, List<String> extraArgs) {
    RedisProcess redis;
    try {
      redis = new RedisProcess(binary, extraArgs);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a working directory for redis-server", e);
    }
    LIVE.add(redis);
    try {
      redis.startOnFreePort();
    } catch (RuntimeException | Error e) {
      redis.close();
      throw e;
    }
    return redis;
  }

  /** The listening port; the same across {@link #restart()}. */
  public int port() {
    return port;
  }

  /** Always {@value #HOST}. */
  public String host() {
    return HOST;
  }

  /** {@code 127.0.0.1:port} as a Jedis address. */
  public HostAndPort hostAndPort() {
    return new HostAndPort(HOST, port);
  }

  /**
   * {@code redis://127.0.0.1:PORT}, or {@code redis://:PASSWORD@127.0.0.1:PORT} for a server
   * started with {@code --requirepass PASSWORD}.
   */
  public String url() {
    return "redis://" + (password == null ? "" : ":" + password + "@") + HOST + ":" + port;
  }

  /** A new Jedis connection to this server (authenticated if it needs it); the caller closes it. */
  public Jedis jedis() {
    return new Jedis(hostAndPort(), withPassword(clientConfig()));
  }

  private JedisClientConfig withPassword(JedisClientConfig config) {
    if (password == null) {
      return config;
    }
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(config.getConnectionTimeoutMillis())
        .socketTimeoutMillis(config.getSocketTimeoutMillis())
        .autoNegotiateProtocol(false)
        .password(password)
        .build();
  }

  /** The binary this server runs. */
  public RedisBinary binary() {
    return binary;
  }

  /** The private working directory ({@code --dir}). */
  public Path dir() {
    return dir;
  }

  /** The file receiving the server's stdout and stderr, across restarts. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the server process is currently alive. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Ends the server gracefully (SIGTERM, then SIGKILL after 10 s) and waits; no-op if stopped. */
  public synchronized void stop() {
    end(false);
  }

  /** Ends the server abruptly (SIGKILL) and waits, as in a crash; no-op if stopped. */
  public synchronized void kill() {
    end(true);
  }

  /**
   * SIGSTOP ({@code freeze = true}) or SIGCONT: a frozen server keeps its sockets open and answers
   * nothing, the half-open case a blocking pop must not hang on. Thaw it before {@link #close()},
   * which would otherwise wait for SIGTERM in vain before it SIGKILLs.
   */
  public synchronized void freeze(boolean freeze) {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("not running: " + this);
    }
    try {
      Process kill =
          new ProcessBuilder("kill", freeze ? "-STOP" : "-CONT", Long.toString(process.pid()))
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + (freeze ? "-STOP" : "-CONT") + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Stops the server if running, then starts it again on the same port with the same arguments and
   * directory, returning once it answers PING.
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("Closed: " + this);
    }
    end(false);
    List<String> failures = new ArrayList<>();
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      Outcome outcome = launchAndAwait(port);
      if (outcome == Outcome.UP) {
        LOG.fine(() -> "Restarted " + this);
        return;
      }
      failures.add("attempt " + attempt + ": " + outcome);
      if (outcome != Outcome.BIND_FAILED) {
        break;
      }
      pause(Duration.ofMillis(200));
    }
    throw startFailure("restart on port " + port + " failed (" + failures + ")");
  }

  /** As an extension: the test class is done with it. */
  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Ends the server for good and deletes its working directory; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      end(false);
    } finally {
      LIVE.remove(this);
      deleteRecursively(dir);
    }
  }

  @Override
  public String toString() {
    return "RedisProcess[" + url() + ", " + binary.path() + "]";
  }

  private void startOnFreePort() {
    List<String> failures = new ArrayList<>();
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      port = freePort(clusterEnabled);
      Outcome outcome = launchAndAwait(port);
      if (outcome == Outcome.UP) {
        LOG.fine(() -> "Started " + this);
        return;
      }
      failures.add("port " + port + ": " + outcome);
      if (outcome != Outcome.BIND_FAILED) {
        break;
      }
      LOG.info(() -> "redis-server could not bind port " + port + ", retrying on another port");
    }
    throw startFailure("start failed (" + failures + ")");
  }

  private enum Outcome {
    UP,
    BIND_FAILED,
    EXITED,
    TIMED_OUT
  }

  private Outcome launchAndAwait(int port) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.path().toString());
    cmd.addAll(List.of("--port", Integer.toString(port), "--bind", HOST));
    cmd.addAll(List.of("--save", "", "--appendonly", "no", "--dir", dir.toString()));
    for (String arg : extraArgs) {
      cmd.add(arg.replace("{port}", Integer.toString(port)));
    }
    long logOffset = logSize();
    try {
      process =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + cmd, e);
    }
    Outcome outcome = awaitPing(process, port);
    if (outcome != Outcome.UP) {
      end(true);
      if (outcome == Outcome.EXITED && bindFailed(readLog(logOffset))) {
        return Outcome.BIND_FAILED;
      }
    }
    return outcome;
  }

  /** Polls PING until the deadline; a PONG only counts if it comes from our own process. */
  private Outcome awaitPing(Process p, int port) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    HostAndPort address = new HostAndPort(HOST, port);
    JedisClientConfig config =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(250)
            .socketTimeoutMillis(1000)
            .autoNegotiateProtocol(false)
            .build();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        return Outcome.EXITED;
      }
      try (Jedis jedis = new Jedis(address, withPassword(config))) {
        if ("PONG".equals(jedis.ping())) {
          if (isOwnProcess(p, serverPid(jedis))) {
            return Outcome.UP;
          }
          // Another server holds the port; ours will fail to bind and exit.
          LOG.fine(() -> "Port " + port + " answered PING from a foreign redis-server");
        }
      } catch (JedisException e) {
        // not listening yet, or still loading
      }
      pause(Duration.ofMillis(25));
    }
    return p.isAlive() ? Outcome.TIMED_OUT : Outcome.EXITED;
  }

  /** The server is ours if it is the process we started or (for wrapper scripts) a descendant. */
  private static boolean isOwnProcess(Process p, long pid) {
    return pid == p.pid() || p.descendants().anyMatch(h -> h.pid() == pid);
  }

  private static long serverPid(Jedis jedis) {
    for (String line : jedis.info("server").split("\r?\n")) {
      if (line.startsWith("process_id:")) {
        return Long.parseLong(line.substring("process_id:".length()).trim());
      }
    }
    return -1;
  }

  private void end(boolean forcibly) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    try {
      if (forcibly) {
        p.destroyForcibly();
      } else {
        p.destroy();
      }
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warning(() -> "redis-server on port " + port + " ignored SIGTERM; killing it");
        p.destroyForcibly();
        if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("redis-server pid " + p.pid() + " does not die");
        }
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping " + this, e);
    }
  }

  private static void killAllLive() {
    for (RedisProcess redis : LIVE) {
      Process p = redis.process;
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }
    for (RedisProcess redis : LIVE) {
      Process p = redis.process;
      try {
        if (p != null) {
          p.waitFor(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      deleteRecursively(redis.dir);
    }
  }

  private static boolean isClusterEnabled(List<String> args) {
    for (int i = 0; i < args.size() - 1; i++) {
      if (args.get(i).equalsIgnoreCase("--cluster-enabled")
          && args.get(i + 1).equalsIgnoreCase("yes")) {
        return true;
      }
    }
    return false;
  }

  private static boolean bindFailed(String log) {
    return log.contains("Address already in use")
        || log.contains("Could not create server TCP listening socket")
        || log.contains("Could not bind");
  }

  /**
   * A port free on loopback right now. In cluster mode the bus port (port + 10000) must exist and
   * be free too.
   */
  static int freePort(boolean withClusterBus) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    IOException last = null;
    int attempts = withClusterBus ? 100 : START_ATTEMPTS;
    for (int i = 0; i < attempts; i++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(loopback, 0), 1);
        int candidate = socket.getLocalPort();
        if (!withClusterBus) {
          return candidate;
        }
        int bus = candidate + CLUSTER_BUS_OFFSET;
        if (bus > 65535) {
          continue;
        }
        try (ServerSocket busSocket = new ServerSocket()) {
          busSocket.setReuseAddress(false);
          busSocket.bind(new InetSocketAddress(loopback, bus), 1);
          return candidate;
        } catch (IOException busTaken) {
          last = busTaken;
        }
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IllegalStateException("No free loopback port found", last);
  }

  private IllegalStateException startFailure(String what) {
    return new IllegalStateException(
        "redis-server "
            + what
            + "; binary "
            + binary.path()
            + "; server output:\n"
            + readLog(Math.max(0, logSize() - 8192)));
  }

  private long logSize() {
    try {
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private String readLog(long from) {
    if (!Files.exists(logFile)) {
      return "";
    }
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = file.length();
      long start = Math.min(from, length);
      byte[] bytes = new byte[(int) Math.min(length - start, 1 << 20)];
      file.seek(start);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /**
   * The client configuration of {@link #jedis()}: RESP2, 2 s connect timeout, 5 s read timeout (no
   * protocol auto-negotiation, which Jedis would warn about on every connection).
   */
  public static JedisClientConfig clientConfig() {
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(2000)
        .socketTimeoutMillis(5000)
        .autoNegotiateProtocol(false)
        .build();
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  LOG.log(Level.FINE, "Cannot delete " + path, e);
                }
              });
    } catch (IOException e) {
      LOG.log(Level.FINE, "Cannot delete " + root, e);
    }
  }
}
