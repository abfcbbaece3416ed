package io.juggler.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.client.ClientOptions;
import io.juggler.client.ConnectionListener;
import io.juggler.client.JugglerClient;
import io.juggler.client.RequestFuture;
import io.juggler.message.Message;
import io.juggler.message.RawJson;
import io.juggler.message.Res;
import io.juggler.message.SessionAck;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Issue 23 on every runtime: a client with a resumable session drops mid-call from one server and
 * resumes, through nginx, on a server of another runtime, which gets it the call's RES. The EAR
 * tests pair their full server (Open Liberty, Payara Server) with one Payara Micro running the
 * packaged WAR with its callees off, so every result comes from the EAR's callees through Redis,
 * and put nginx (the repository's template, {@link Nginx#TEMPLATE}) in front of both; ManyServersIT
 * does the same between two Payara Micro processes.
 *
 * <p>Which server a connection through nginx lands on is not left to chance: the template balances
 * round robin, so a plain connection (a probe) that lands on the other server makes the next one
 * land on the wanted one, and each landing is asserted by the servers' counts of open websockets
 * ({@code /debug/vars}, {@code ActiveConns}; nothing else connects to them meanwhile).
 */
final class ResumeAcrossRuntimes {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A call long enough to be running when its client drops (milliseconds, as a JSON string). */
  private static final String DELAY = "1500";

  /** Probes by which one must have landed on the other server (round robin: two at most). */
  private static final int MAX_PROBES = 3;

  private ResumeAcrossRuntimes() {}

  /**
   * Starts Payara Micro with the packaged WAR (ManyServersIT's runtime) on Redis {@code redisUrl},
   * its callees off. Returns at once: started before the EAR's server is awaited, it gets ready
   * meanwhile, and {@link #resumeBothWays} awaits it.
   */
  static PayaraMicro startPayaraMicro(String redisUrl, Path work) throws IOException {
    return PayaraMicro.start(
        Path.of("target/runtime"),
        work,
        ManyServersIT.freePort(),
        Map.of("JUGGLER_REDIS_URL", redisUrl, "JUGGLER_CALLEE_ENABLED", "false"),
        List.of("-Xmx512m"),
        work.resolve("payara-micro.log"));
  }

  /**
   * Puts nginx in front of {@code ear} (ready, running the EAR's callees) and {@code micro}, then
   * checks a resume both ways: a client that dropped mid-call from the EAR's server gets its RES on
   * Payara Micro, and one that dropped from Payara Micro gets it on the EAR's server. Every
   * websocket this opens is closed again; nginx is stopped, {@code micro} is left running.
   *
   * @param earName the EAR's runtime, for messages
   */
  static void resumeBothWays(ServerProcess ear, String earName, PayaraMicro micro, Path work)
      throws Exception {
    assertTrue(micro.awaitReady(300), "Payara Micro not ready; see " + work + "/payara-micro.log");
    Server onEar = new Server(earName, ear.port());
    Server onMicro = new Server("Payara Micro", micro.port());
    int lbPort = ManyServersIT.freePort();
    try (Nginx lb =
        Nginx.loopback(
            Repository.root().resolve(Nginx.TEMPLATE),
            work.resolve("nginx"),
            ear.port(),
            micro.port(),
            lbPort)) {
      URI viaLb = URI.create("ws://127.0.0.1:" + lbPort + "/ws");
      resume(viaLb, onEar, onMicro);
      resume(viaLb, onMicro, onEar);
    }
  }

  /**
   * A client connected through nginx to {@code from} makes a call, drops as soon as it is ACKed (no
   * close frame: its session waits for it), reconnects at once through nginx with its token onto
   * {@code to}, and gets the call's RES there.
   */
  private static void resume(URI viaLb, Server from, Server to) throws Exception {
    awaitConnections(from, 0, to, 0);
    steerTo(viaLb, from, 0, to, 0);
    String token;
    String call;
    try (JugglerClient first =
        JugglerClient.connect(viaLb, ClientOptions.builder().newSession().build())) {
      token = first.session().get(WAIT.toSeconds(), TimeUnit.SECONDS).token();
      assertNotNull(token, "no session on " + from);
      assertLanded(from, 1);
      // before the call, so that nothing but the drop stands between its ACK and the resume
      steerTo(viaLb, to, 0, from, 1);
      RequestFuture<RawJson> f =
          first.call("test.delay", "\"" + DELAY + "\"", Duration.ofSeconds(40));
      call = f.uuid();
      await("ACK of the call on " + from).atMost(WAIT).until(f::isAcknowledged);
      first.abort(); // gone without a close frame
    }
    BlockingQueue<Res> results = new LinkedBlockingQueue<>();
    ClientOptions resume =
        ClientOptions.builder().resume(token).listener(resultsTo(results)).build();
    try (JugglerClient back = JugglerClient.connect(viaLb, resume)) {
      SessionAck ack = back.session().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertLanded(to, 1);
      assertTrue(ack.resumed(), "not resumed on " + to + ": " + ack);
      Res r = results.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(r, "no RES on " + to + " for the call made on " + from);
      assertEquals(call, r.forUuid());
      assertEquals(DELAY, r.args().json());
    }
  }

  /**
   * Makes nginx send the next connection to {@code wanted}: probes (connections without a session,
   * closed at once) until one lands on {@code other}, after which round robin picks {@code wanted}.
   * A connection that resumes a session cannot try its luck instead: wherever it lands takes the
   * session and its results. {@code wantedOpen} and {@code otherOpen} are the websockets each has
   * open meanwhile, which tell a probe's landing apart.
   */
  private static void steerTo(
      URI viaLb, Server wanted, int wantedOpen, Server other, int otherOpen) {
    for (int probes = 1; ; probes++) {
      Server landed;
      try (JugglerClient probe = JugglerClient.connect(viaLb)) {
        List<Integer> open =
            await("a server counting the probe")
                .atMost(WAIT)
                .until(
                    () -> List.of(wanted.activeConnections(), other.activeConnections()),
                    n -> n.get(0) + n.get(1) == wantedOpen + otherOpen + 1);
        landed = open.get(1) > otherOpen ? other : wanted;
      }
      awaitConnections(wanted, wantedOpen, other, otherOpen);
      if (landed == other) {
        return;
      }
      assertTrue(probes < MAX_PROBES, probes + " probes through nginx, none on " + other);
    }
  }

  /**
   * Asserts that a connection whose session ACK came is on {@code server}, which now has {@code
   * open} websockets: the server counts a connection before it sends its session ACK.
   */
  private static void assertLanded(Server server, int open) throws Exception {
    assertEquals(open, server.activeConnections(), "nginx sent the connection elsewhere");
  }

  private static void awaitConnections(Server a, int aOpen, Server b, int bOpen) {
    await(aOpen + " websockets open on " + a + ", " + bOpen + " on " + b)
        .atMost(WAIT)
        .until(() -> a.activeConnections() == aOpen && b.activeConnections() == bOpen);
  }

  private static ConnectionListener resultsTo(BlockingQueue<Res> results) {
    return new ConnectionListener() {
      @Override
      public void onMessage(Message m) {
        if (m instanceof Res r) {
          results.add(r);
        }
      }
    };
  }

  /** One of the two servers behind nginx. */
  private record Server(String name, int port) {

    /** Its open websockets: {@code ActiveConns} of {@code /debug/vars}. */
    int activeConnections() throws IOException, InterruptedException {
      return ManyServersIT.activeConnections(port);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
