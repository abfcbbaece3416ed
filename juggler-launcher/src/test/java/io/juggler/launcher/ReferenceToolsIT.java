package io.juggler.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.juggler.client.ClientOptions;
import io.juggler.client.ConnectionListener;
import io.juggler.client.Event;
import io.juggler.client.JugglerClient;
import io.juggler.client.RequestFuture;
import io.juggler.client.Subscription;
import io.juggler.message.Ack;
import io.juggler.message.Message;
import io.juggler.message.MessageType;
import io.juggler.message.RawJson;
import io.juggler.message.Res;
import io.juggler.message.SessionAck;
import io.juggler.message.Sub;
import io.juggler.testing.redis.RedisProcess;
import io.juggler.testing.reference.ReferenceBinaries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 23: the reference's own load tool, interactive client and callee (the Go binaries in {@code
 * shared/reference/go-juggler}, when present on this machine; skipped otherwise) still work against
 * the packaged WAR with everything issue 23 added switched on: resumable sessions (on by default),
 * a channel history (EVNTs carry the optional members {@code offset} and {@code epoch}, which Go
 * ignores) and call cancel. One Payara Micro runs the WAR without the demo callees, so every call
 * here is served by the Go callee on the same Redis.
 *
 * <p>Logs (server, Go callee, each load run, the Go client's terminal) go to {@code
 * target/reference-tools}.
 */
class ReferenceToolsIT {

  private static final Path RUNTIME = Path.of("target/runtime");
  private static final Path WORK = Path.of("target/reference-tools").toAbsolutePath();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The channels that keep a history; {@link #CHANNEL} is one of them. */
  private static final String HISTORY = "hist.* 1000 10m";

  private static final String CHANNEL = "hist.interop";

  private static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();
  private static Path bin;
  private static int port;
  private static Path calleeLog;

  /**
   * Redis, the server (demo callees off, history on for {@code hist.*}, sessions on by default) and
   * the Go callee with 4 workers, for all tests: Payara Micro takes most of this class's time to
   * start.
   */
  @BeforeAll
  static void startTheSystem() throws Exception {
    Optional<Path> tools = referenceBin();
    assumeTrue(
        tools.isPresent(),
        "the reference's Go binaries are not on this machine (JUGGLER_REFERENCE_DIR)");
    bin = tools.get();
    Files.createDirectories(WORK);
    RedisProcess redis = started(RedisProcess.start());
    port = ManyServersIT.freePort();
    PayaraMicro server =
        started(
            PayaraMicro.start(
                RUNTIME,
                WORK.resolve("server"),
                port,
                Map.of(
                    "JUGGLER_REDIS_URL",
                    redis.url(),
                    "JUGGLER_CALLEE_DEMO_ENABLED",
                    "false",
                    "JUGGLER_HISTORY_CHANNELS",
                    HISTORY),
                List.of("-Xmx512m"),
                WORK.resolve("server.log")));
    calleeLog = WORK.resolve("go-callee.log");
    started(
        GoProcess.start(
            calleeLog,
            bin.resolve("juggler-callee").toString(),
            "-redis",
            redis.host() + ":" + redis.port(),
            "-workers",
            "4",
            "-port",
            Integer.toString(ManyServersIT.freePort())));
    assertTrue(server.awaitReady(300), "server not ready; see " + WORK + "/server.log");
    awaitInCalleeLog("listening for call requests");
  }

  /** Stops what {@link #startTheSystem} started, last first, each even if another fails. */
  @AfterAll
  static void stopTheSystem() throws Exception {
    Exception failed = null;
    while (!STARTED.isEmpty()) {
      try {
        STARTED.pop().close();
      } catch (Exception e) {
        failed = failed == null ? e : failed;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /**
   * The Go load tool, closed loop on {@code test.echo} with 10 connections for 3 s: its calls are
   * answered, but for the few its client counts as expired because it marks a call pending only
   * after writing it (a known quirk of the reference, about 1 in 300 to 1,000 calls).
   */
  @Test
  void theReferenceLoadToolGetsItsResults() throws Exception {
    assertLoadRuns("load-1");
  }

  /**
   * The Go interactive client calls {@code test.reverse}, subscribes to a channel with a history
   * and gets the EVNTs of a publication by the Java client and of its own PUB; those EVNTs carry
   * {@code offset} and {@code epoch} (the Java subscriber sees them), and the Go client's PUB went
   * into the history (a recovering subscription replays both).
   */
  @Test
  void theReferenceClientCallsAndGetsEventsOfAChannelWithHistory() throws Exception {
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    try (JugglerClient java = JugglerClient.connect(ws());
        GoClient go = GoClient.start(bin, ws(), WORK.resolve("go-client.log"))) {
      Subscription live = java.subscribe(CHANNEL, false, events::add);
      live.acknowledged().get(WAIT.toSeconds(), TimeUnit.SECONDS);

      go.command("connect", "\\[1\\] connected to " + Pattern.quote(ws().toString()));
      String call =
          go.command("call 1 test.reverse 10s hello", ">>> CALL message: (\\S+)").group(1);
      go.expect("<<< RES  message: \\S+ for CALL " + call + " \\(\"olleh\"\\)");
      String sub = go.command("sub 1 " + CHANNEL, ">>> SUB  message: (\\S+)").group(1);
      go.expect("<<< ACK  message: \\S+ for SUB " + sub);

      RequestFuture<Void> fromJava = java.publish(CHANNEL, "{\"n\":1}");
      fromJava.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      go.expect("<<< EVNT message: \\S+ for PUB " + fromJava.uuid() + " \\(\\{\"n\":1\\}\\)");
      String fromGo = go.command("pub 1 " + CHANNEL + " go", ">>> PUB  message: (\\S+)").group(1);
      go.expect("<<< ACK  message: \\S+ for PUB " + fromGo);
      go.expect("<<< EVNT message: \\S+ for PUB " + fromGo + " \\(\"go\"\\)");

      Event first = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      Event second = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(first, "the Java subscriber got no EVNT");
      assertNotNull(second, "the Java subscriber got no EVNT of the Go client's PUB");
      assertEquals(fromJava.uuid(), first.publicationUuid());
      assertEquals(fromGo, second.publicationUuid());
      assertEquals("\"go\"", second.args().json());
      assertNotNull(first.epoch(), "an EVNT of " + CHANNEL + " without epoch: no history kept");
      assertEquals(first.epoch(), second.epoch());
      assertTrue(second.offset() > first.offset(), first + " then " + second);
      live.close();

      assertReplayed(first, second);
    }
  }

  /**
   * A Java client with a session calls {@code test.echo} served by the Go callee (the session
   * binding of the call on our side with a callee that knows nothing of it), then cancels a running
   * {@code test.delay}: the Go callee is not told and stores its result, which the server drops.
   * The server then still serves further calls and another run of the Go load tool.
   */
  @Test
  void aSessionUsesTheReferenceCalleeAndCancelsACallItRuns() throws Exception {
    BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    ClientOptions options =
        ClientOptions.builder().newSession().listener(messagesTo(received)).build();
    try (JugglerClient c = JugglerClient.connect(ws(), options)) {
      SessionAck session = c.session().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNull(session.refused(), "no session: " + session);
      assertNotNull(session.token(), "no session token: " + session);
      assertEcho(c, "with a session");

      RequestFuture<RawJson> delay = c.call("test.delay", "\"2000\"", WAIT);
      awaitInCalleeLog("received request " + delay.uuid() + " test.delay");
      assertTrue(delay.cancel(true));
      Ack cancelled = awaitCancelAck(received, delay.uuid());
      assertEquals("running", cancelled.cancelled(), cancelled.toString());
      assertEquals("test.delay", cancelled.uri());

      // the reference callee is not told and runs it to its end; the server drops its result
      awaitInCalleeLog("sent result " + delay.uuid() + " test.delay");
      assertEcho(c, "after the cancel");
      assertTrue(
          received.stream().noneMatch(m -> m instanceof Res r && delay.uuid().equals(r.forUuid())),
          "a RES for the cancelled call: " + received);
    }
    assertLoadRuns("load-2");
    try (JugglerClient c = JugglerClient.connect(ws())) {
      assertEcho(c, "after the second load run");
    }
    assertEquals(0.0, calleeCalls(), "the server's own callees served calls");
  }

  // ------------------------------------------------------------------ steps

  /** A subscription recovering from the start of the history gets both events again. */
  private static void assertReplayed(Event first, Event second) throws Exception {
    BlockingQueue<Event> replayed = new LinkedBlockingQueue<>();
    try (JugglerClient late = JugglerClient.connect(ws())) {
      Subscription s = late.subscribe(CHANNEL, new Sub.Position(0, first.epoch()), replayed::add);
      Ack.Recovery recovery = s.recovery().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(recovery != null && recovery.recovered(), "not recovered: " + recovery);
      List<String> publications = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Event e = replayed.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(e, "history replayed only " + publications);
        publications.add(e.publicationUuid());
      }
      assertEquals(List.of(first.publicationUuid(), second.publicationUuid()), publications);
    }
  }

  /** One run of the Go load tool (its report in {@code target/reference-tools/NAME.log}). */
  private static void assertLoadRuns(String name) throws Exception {
    Path log = WORK.resolve(name + ".log");
    int exit =
        GoProcess.run(
            log,
            Duration.ofSeconds(40),
            bin.resolve("juggler-load").toString(),
            "-addr",
            ws().toString(),
            "-c",
            "10",
            "-d",
            "3s",
            "-r",
            "-1ms",
            "-t",
            "2s",
            "-w",
            "3s",
            "-V",
            "-u",
            "test.echo",
            "-p",
            "hello");
    String report = Files.readString(log);
    assertEquals(0, exit, report);
    long calls = reported(report, "Calls");
    long results = reported(report, "Results");
    long expired = reported(report, "Expired");
    assertEquals(0, reported(report, "Nacks"), report);
    assertTrue(results > 100, "only " + results + " results:\n" + report);
    assertTrue(expired <= 2 + calls / 100, expired + " of " + calls + " expired:\n" + report);
  }

  /** A number of the load tool's report: the line {@code NAME: N}. */
  private static long reported(String report, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(\\d+)\\s*$").matcher(report);
    assertTrue(m.find(), "no " + name + " in the load tool's report:\n" + report);
    return Long.parseLong(m.group(1));
  }

  private static void assertEcho(JugglerClient c, String text) throws Exception {
    String args = "\"" + text + "\"";
    RawJson res = c.call("test.echo", args, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(args, res.json());
  }

  /** The ACK of the cancel of call {@code call}, among the messages the connection received. */
  private static Ack awaitCancelAck(BlockingQueue<Message> received, String call) {
    return await("the cancel's ACK")
        .atMost(WAIT)
        .until(
            () ->
                received.stream()
                    .filter(m -> m instanceof Ack a && a.forType() == MessageType.UNSB)
                    .map(Ack.class::cast)
                    .filter(a -> a.cancelled() != null)
                    .findFirst()
                    .orElse(null),
            a -> a != null);
  }

  private static ConnectionListener messagesTo(BlockingQueue<Message> queue) {
    return new ConnectionListener() {
      @Override
      public void onMessage(Message m) {
        queue.add(m);
      }
    };
  }

  private static void awaitInCalleeLog(String text) {
    await("\"" + text + "\" in " + calleeLog)
        .atMost(WAIT)
        .until(() -> Files.readString(calleeLog).contains(text));
  }

  /** Calls the server's own callees completed ({@code juggler_callee_calls_total}, all URIs). */
  private static double calleeCalls() throws IOException, InterruptedException {
    String metrics =
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("juggler_callee_calls_total{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static URI ws() {
    return URI.create("ws://127.0.0.1:" + port + "/ws");
  }

  private static <T extends AutoCloseable> T started(T resource) {
    STARTED.push(resource);
    return resource;
  }

  /** The folder of the reference's binaries, with the three tools this test runs. */
  static Optional<Path> referenceBin() {
    return ReferenceBinaries.find("juggler-callee", "juggler-load", "juggler-client");
  }

  // ------------------------------------------------------------------ processes

  /** A Go tool running in the background, its output in a log file; stopped on close. */
  private record GoProcess(Process process) implements AutoCloseable {

    static GoProcess start(Path log, String... command) throws IOException {
      return new GoProcess(
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start());
    }

    /** Runs {@code command} to its end (killed after {@code limit}); its exit status. */
    static int run(Path log, Duration limit, String... command) throws Exception {
      try (GoProcess p = start(log, command)) {
        assertTrue(
            p.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS),
            command[0] + " still runs after " + limit + "; see " + log);
        return p.process.exitValue();
      }
    }

    @Override
    public void close() {
      Processes.stop(process, Duration.ofSeconds(5));
    }
  }

  /**
   * The Go interactive client, which needs a terminal: run under {@code script}, which gives it a
   * pseudo-terminal, fed commands ending in a carriage return, its screen read back as text (colour
   * and cursor codes removed). Everything it shows is also written to a log file.
   */
  private static final class GoClient implements AutoCloseable {

    private static final Pattern ESCAPES = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]|\r");
    private static final String PROMPT = "juggler> ";

    private final Process process;
    private final OutputStream keyboard;
    private final StringBuilder screen = new StringBuilder();
    private final Thread reader;

    private GoClient(Process process, Path log) {
      this.process = process;
      this.keyboard = process.getOutputStream();
      this.reader = new Thread(() -> read(process.getInputStream(), log), "go-client-screen");
      reader.setDaemon(true);
      reader.start();
    }

    /** Starts the client with {@code addr} as its default address; returns at its first prompt. */
    static GoClient start(Path bin, URI addr, Path log) throws IOException {
      String command = "'" + bin.resolve("juggler-client") + "' -addr " + addr;
      ProcessBuilder pb =
          new ProcessBuilder("script", "-qfc", command, "/dev/null").redirectErrorStream(true);
      // its line editor handles a known terminal type; the one of the build may be none
      pb.environment().put("TERM", "xterm");
      GoClient client = new GoClient(pb.start(), log);
      // typed before the editor takes the terminal, a command is lost
      client.expect(Pattern.quote(PROMPT));
      return client;
    }

    /** Types {@code line} and waits for {@code expected} (a regex) to show after it. */
    Matcher command(String line, String expected) throws IOException {
      int from = screen().length();
      keyboard.write((line + "\r").getBytes(StandardCharsets.UTF_8));
      keyboard.flush();
      return expect(expected, from);
    }

    /** Waits for {@code regex} to show anywhere on the screen. */
    Matcher expect(String regex) {
      return expect(regex, 0);
    }

    private Matcher expect(String regex, int from) {
      Pattern p = Pattern.compile(regex);
      return Awaitility.await("\"" + regex + "\" in the Go client's output")
          .atMost(WAIT)
          .until(
              () -> {
                Matcher m = p.matcher(screen());
                return m.find(from) ? m : null;
              },
              m -> m != null);
    }

    /** What it has shown so far, without terminal codes. */
    String screen() {
      synchronized (screen) {
        return ESCAPES.matcher(screen).replaceAll("");
      }
    }

    private void read(InputStream in, Path log) {
      byte[] buffer = new byte[4096];
      try (OutputStream copy = Files.newOutputStream(log)) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          copy.write(buffer, 0, n);
          copy.flush();
          synchronized (screen) {
            screen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }

    /** Types {@code exit}; then stops {@code script} and the client if they still run. */
    @Override
    public void close() throws InterruptedException {
      try {
        keyboard.write("exit\r".getBytes(StandardCharsets.UTF_8));
        keyboard.close();
      } catch (IOException e) {
        // gone already
      }
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
    }
  }
}
