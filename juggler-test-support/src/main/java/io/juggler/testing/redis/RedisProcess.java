package io.juggler.testing.redis;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * One redis-server process listening on 127.0.0.1: the one the tests, the launcher ({@code
 * ./run.sh} without {@code JUGGLER_REDIS_URL}), the benchmark and the fault suite run.
 *
 * <p>The binary: the one the system property {@value #PROPERTY} or the environment variable {@value
 * #ENV} names (a path, or {@value #EMBEDDED}); else {@code redis-server} on the PATH, in /usr/bin
 * or in /usr/local/bin; else the Linux x86-64 binary bundled in the embedded-redis artifact (which
 * must be on the class path), copied into the process's directory ({@link #embedded()}).
 *
 * <p>{@link #start(String...)} picks a free port and a temporary directory, which {@link #close()}
 * deletes; {@link #options()} chooses the port, a directory that stays, the log's name and whether
 * the process runs in a session of its own. Persistence is off ({@code --save "" --appendonly no})
 * unless the extra arguments, which come after, say otherwise; {@code {port}} in them becomes the
 * port. A start returns once the server answers PING as this very process (within {@link
 * #STARTUP_TIMEOUT}) and fails with the end of its log otherwise; on a free port, a port taken
 * meanwhile means another try on another one. Its output goes to {@link #logFile()}, emptied at the
 * first start and kept across restarts.
 *
 * <p>{@link #stop()} (SIGTERM) and {@link #kill()} (SIGKILL) end the process and keep the port,
 * {@link #restart()} starts it again there with the same arguments and directory, {@link
 * #freeze(boolean)} sends SIGSTOP or SIGCONT, {@link #close()} ends it for good. Unless it runs in
 * a session of its own, a JVM shutdown hook kills it when the JVM exits, so none outlives its JVM.
 *
 * <p>It needs nothing but the JDK to run (the launcher ships it without Jedis): only {@link
 * #hostAndPort()}, {@link #jedis()} and {@link #clientConfig()} name Jedis types, and they build
 * them in {@link JedisConnections}, so that this class links without Jedis ({@code
 * WithoutJedisIT}).
 */
public final class RedisProcess implements AutoCloseable {

  /** How long a start may take until the server answers PING. */
  public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

  /** The loopback address every process binds to. */
  public static final String HOST = "127.0.0.1";

  /** System property naming the redis-server executable to use. */
  public static final String PROPERTY = "juggler.test.redis-server";

  /** Environment variable naming the redis-server executable to use. */
  public static final String ENV = "JUGGLER_TEST_REDIS_SERVER";

  /** Value of {@link #PROPERTY} / {@link #ENV} that forces the bundled binary. */
  public static final String EMBEDDED = "embedded";

  static final String EMBEDDED_RESOURCE = "/redis-server-6.2.6-v5-linux-amd64";

  /** util-linux's setsid, which runs a program in a new session (same process: no fork). */
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private static final Logger LOG = Logger.getLogger(RedisProcess.class.getName());
  private static final int START_ATTEMPTS = 3;
  private static final int CLUSTER_BUS_OFFSET = 10000;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<RedisProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(RedisProcess::killAllLive, "juggler-redis-shutdown"));
  }

  /** How a process is started; from {@link RedisProcess#options()}. */
  public static final class Options {
    private int port;
    private Path dir;
    private String log = "redis.log";
    private final List<String> args = new ArrayList<>();
    private boolean ownSession;

    private Options() {}

    /** This port rather than a free one; a start fails when it is taken. */
    public Options port(int port) {
      this.port = port;
      return this;
    }

    /** This working directory ({@code --dir}), created if needed and kept after {@link #close}. */
    public Options dir(Path dir) {
      this.dir = dir;
      return this;
    }

    /** The name of the log file in the directory ({@code redis.log} by default). */
    public Options log(String fileName) {
      this.log = fileName;
      return this;
    }

    /** Arguments after the defaults (the last of a setting wins); {@code {port}}: the port. */
    public Options args(String... args) {
      this.args.addAll(List.of(args));
      return this;
    }

    /**
     * In a session of its own (util-linux's setsid, where there is one): Ctrl-C in the terminal
     * does not reach it, and no shutdown hook kills it: its owner stops it (the launcher, last,
     * once the server no longer needs it).
     */
    public Options ownSession() {
      this.ownSession = true;
      return this;
    }

    /** Starts the server; see {@link RedisProcess}. */
    public RedisProcess start() {
      RedisProcess redis;
      try {
        redis = new RedisProcess(this);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot prepare a directory for redis-server", e);
      }
      if (!ownSession) {
        LIVE.add(redis);
      }
      try {
        redis.startFirst(port);
      } catch (RuntimeException | Error e) {
        redis.close();
        throw e;
      }
      return redis;
    }
  }

  private final Path binary;
  private final boolean embedded;
  private final List<String> extraArgs;
  private final boolean clusterEnabled;
  private final String password;
  private final Path dir;
  private final boolean temporary;
  private final Path logFile;
  private final boolean ownSession;
  private int port;
  private volatile Process process;
  private boolean frozen;
  private boolean closed;

  private RedisProcess(Options o) throws IOException {
    this.extraArgs = List.copyOf(o.args);
    this.clusterEnabled = isClusterEnabled(extraArgs);
    int i = extraArgs.indexOf("--requirepass");
    this.password = i >= 0 && i + 1 < extraArgs.size() ? extraArgs.get(i + 1) : null;
    this.temporary = o.dir == null;
    // absolute: redis-server runs in this folder, so a relative --dir would name another one
    this.dir =
        (temporary ? Files.createTempDirectory("juggler-redis-") : Files.createDirectories(o.dir))
            .toAbsolutePath();
    this.logFile = dir.resolve(o.log);
    this.ownSession = o.ownSession;
    Path system = systemBinary();
    this.embedded = system == null;
    this.binary = embedded ? extractEmbedded(dir) : system;
    Files.deleteIfExists(logFile);
  }

  /** Starts a server on a free port, in a temporary directory, with these extra arguments. */
  public static RedisProcess start(String... extraArgs) {
    return options().args(extraArgs).start();
  }

  /** A start with other choices than {@link #start(String...)}'s. */
  public static Options options() {
    return new Options();
  }

  /** The listening port; the same across {@link #restart()}. */
  public int port() {
    return port;
  }

  /** Always {@value #HOST}. */
  public String host() {
    return HOST;
  }

  /**
   * {@code redis://127.0.0.1:PORT}, or {@code redis://:PASSWORD@127.0.0.1:PORT} for a server
   * started with {@code --requirepass PASSWORD}.
   */
  public String url() {
    return "redis://" + (password == null ? "" : ":" + password + "@") + HOST + ":" + port;
  }

  /** {@code 127.0.0.1:port} as a Jedis address. */
  public HostAndPort hostAndPort() {
    return new HostAndPort(HOST, port);
  }

  /** A new Jedis connection to this server (authenticated if it needs it); the caller closes it. */
  public Jedis jedis() {
    return JedisConnections.open(hostAndPort(), password);
  }

  /**
   * The client configuration of {@link #jedis()} without a password: RESP2, 2 s connect timeout, 5
   * s read timeout (no protocol auto-negotiation, which Jedis would warn about on every
   * connection).
   */
  public static JedisClientConfig clientConfig() {
    return JedisConnections.config(null);
  }

  /** The executable this server runs. */
  public Path binary() {
    return binary;
  }

  /**
   * True when the binary is the one bundled in embedded-redis (no redis-server on this machine).
   */
  public boolean embedded() {
    return embedded;
  }

  /** The working directory ({@code --dir}). */
  public Path dir() {
    return dir;
  }

  /** The file receiving the server's stdout and stderr, across restarts. */
  public Path logFile() {
    return logFile;
  }

  /** The process id of the current process (SIGSTOP, CPU time). */
  public synchronized long pid() {
    return process.pid();
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
   * nothing, the half-open case a blocking pop must not hang on. {@link #stop()}, {@link #close()}
   * and {@link #restart()} thaw it first.
   */
  public synchronized void freeze(boolean freeze) {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("not running: " + this);
    }
    signal(freeze ? "-STOP" : "-CONT");
    frozen = freeze;
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
    launch("restart", OnTaken.SAME_PORT_LATER);
  }

  /** Ends the server for good and deletes its directory if it was a temporary one; idempotent. */
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
      if (temporary) {
        deleteRecursively(dir);
      }
    }
  }

  @Override
  public String toString() {
    return "RedisProcess[" + url() + ", " + binary + "]";
  }

  private void startFirst(int givenPort) {
    port = givenPort > 0 ? givenPort : freePort(clusterEnabled);
    launch("start", givenPort > 0 ? OnTaken.FAIL : OnTaken.OTHER_PORT);
  }

  /** What a launch does when redis-server cannot bind its port. */
  private enum OnTaken {
    /** Fails: the port was given. */
    FAIL,
    /** Tries another free port (a free port taken meanwhile). */
    OTHER_PORT,
    /** Tries the same port again 200 ms later (a restart). */
    SAME_PORT_LATER
  }

  /** Launches the server until it answers PING, trying {@value #START_ATTEMPTS} times at most. */
  private void launch(String what, OnTaken onTaken) {
    List<String> failures = new ArrayList<>();
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      Outcome outcome = launchAndAwait();
      if (outcome == Outcome.UP) {
        LOG.fine(() -> what + ": " + this);
        return;
      }
      failures.add("port " + port + ": " + outcome);
      if (outcome != Outcome.BIND_FAILED) {
        break;
      }
      switch (onTaken) {
        case FAIL -> throw startFailure(what + " failed: port " + port + " is taken");
        case OTHER_PORT -> {
          LOG.info(() -> "redis-server could not bind port " + port + ", retrying on another");
          port = freePort(clusterEnabled);
        }
        case SAME_PORT_LATER -> pause(Duration.ofMillis(200));
      }
    }
    throw startFailure(what + " failed (" + failures + ")");
  }

  private enum Outcome {
    UP,
    BIND_FAILED,
    EXITED,
    TIMED_OUT
  }

  private Outcome launchAndAwait() {
    List<String> cmd = new ArrayList<>();
    if (ownSession && Files.isExecutable(SETSID)) {
      // its own session: Ctrl-C in the terminal reaches the owner, not Redis
      cmd.add(SETSID.toString());
    }
    cmd.add(binary.toString());
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
      frozen = false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + cmd, e);
    }
    Outcome outcome = awaitPing(process);
    if (outcome != Outcome.UP) {
      end(true);
      if (outcome == Outcome.EXITED && bindFailed(readLog(logOffset))) {
        return Outcome.BIND_FAILED;
      }
    }
    return outcome;
  }

  /** Polls PING until the deadline; a PONG only counts if it comes from our own process. */
  private Outcome awaitPing(Process p) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        return Outcome.EXITED;
      }
      long pid = answeringPid();
      if (pid == p.pid() || p.descendants().anyMatch(h -> h.pid() == pid)) {
        return Outcome.UP;
      }
      if (pid > 0) {
        // Another server holds the port; ours will fail to bind and exit.
        LOG.fine(() -> "Port " + port + " answered PING from a foreign redis-server");
      }
      pause(Duration.ofMillis(25));
    }
    return p.isAlive() ? Outcome.TIMED_OUT : Outcome.EXITED;
  }

  /**
   * The process id of the server answering on the port ({@code INFO server}'s process_id) once it
   * answers PING, over a plain socket in RESP; -1 while it does not (not listening, loading).
   */
  private long answeringPid() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 250);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      InputStream in = new BufferedInputStream(s.getInputStream());
      if (password != null && !command(out, in, "AUTH", password).equals("+OK")) {
        return -1;
      }
      if (!command(out, in, "PING").equals("+PONG")) {
        return -1;
      }
      String head = command(out, in, "INFO", "server");
      if (!head.startsWith("$")) {
        return -1;
      }
      byte[] body = in.readNBytes(Integer.parseInt(head.substring(1)));
      for (String line : new String(body, StandardCharsets.UTF_8).split("\r?\n")) {
        if (line.startsWith("process_id:")) {
          return Long.parseLong(line.substring("process_id:".length()).trim());
        }
      }
      return -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Sends a command as a RESP array of bulk strings; returns the first line of the reply. */
  private static String command(OutputStream out, InputStream in, String... words)
      throws IOException {
    StringBuilder sb = new StringBuilder("*").append(words.length).append("\r\n");
    for (String w : words) {
      byte[] bytes = w.getBytes(StandardCharsets.UTF_8);
      sb.append('$').append(bytes.length).append("\r\n").append(w).append("\r\n");
    }
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private void end(boolean forcibly) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    if (frozen && !forcibly) {
      signal("-CONT"); // a stopped process would not act on SIGTERM
    }
    frozen = false;
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

  /** {@code kill SIGNAL pid} (the JDK sends only SIGTERM and SIGKILL). */
  private void signal(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
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
      if (redis.temporary) {
        deleteRecursively(redis.dir);
      }
    }
  }

  // ------------------------------------------------------------------ the binary

  /** The configured or system redis-server, or null when the bundled one must do. */
  private static Path systemBinary() {
    String configured = System.getProperty(PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(ENV);
    }
    if (configured != null && !configured.isBlank()) {
      configured = configured.trim();
      if (EMBEDDED.equalsIgnoreCase(configured)) {
        return null;
      }
      Path path = Path.of(configured);
      if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
        throw new IllegalArgumentException("Not an executable file: " + path);
      }
      return path.toAbsolutePath();
    }
    List<String> dirs =
        new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/bin", "/usr/local/bin"));
    for (String d : dirs) {
      Path candidate = Path.of(d.isEmpty() ? "." : d, "redis-server");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    return null;
  }

  /** The binary bundled in embedded-redis, copied into {@code dir} (deleted when the JVM exits). */
  private static Path extractEmbedded(Path dir) throws IOException {
    String os = System.getProperty("os.name", "").toLowerCase();
    String arch = System.getProperty("os.arch", "").toLowerCase();
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new IllegalStateException(
          "No redis-server found and the bundled one is for linux/amd64 only (this is "
              + os
              + "/"
              + arch
              + "); install redis-server or set -D"
              + PROPERTY);
    }
    Path target = dir.resolve("redis-server-embedded");
    try (InputStream in = RedisProcess.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "no redis-server on PATH and no " + EMBEDDED_RESOURCE + " on the classpath");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    if (!target.toFile().setExecutable(true, true)) {
      throw new IllegalStateException("Cannot mark " + target + " executable");
    }
    target.toFile().deleteOnExit();
    LOG.fine(() -> "No redis-server on this machine; using the one bundled in embedded-redis");
    return target;
  }

  // ------------------------------------------------------------------ ports and files

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
            + binary
            + "; see "
            + logFile
            + ", which ends:\n"
            + readLog(Math.max(0, logSize() - 8192)));
  }

  private long logSize() {
    try {
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The log from byte {@code from} on. */
  private String readLog(long from) {
    try {
      byte[] all = Files.exists(logFile) ? Files.readAllBytes(logFile) : new byte[0];
      int start = (int) Math.min(from, all.length);
      return new String(all, start, all.length - start, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
  }

  static void deleteRecursively(Path root) {
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
