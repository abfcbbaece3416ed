package io.juggler.server;

import io.juggler.broker.Backoff;
import io.juggler.broker.BrokerException;
import io.juggler.broker.Outage;
import io.juggler.broker.SessionBroker;
import io.juggler.broker.SessionBroker.Attach;
import io.juggler.broker.SessionBroker.Park;
import io.juggler.broker.SessionBroker.Parked;
import io.juggler.broker.TakenResult;
import io.juggler.message.CallPayload;
import io.juggler.message.MessageType;
import io.juggler.message.Res;
import io.juggler.message.SessionAck;
import io.juggler.message.Uuids;
import io.juggler.registry.InstanceControl;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Resumable sessions on this server (issue 23, item 1; layout in {@link SessionBroker}).
 *
 * <p>A client asks for a session at the handshake ({@code session} query parameter or {@code
 * Juggler-Session} header: {@code new}, or the token it was given). Its connection then gets a
 * {@link SessionAck} first: a fresh token, or its old session resumed, with the results that came
 * while it was away right after. Its calls are bound to the session, so a result whose connection
 * is gone is parked in Redis for the session's window, or forwarded to the server the client came
 * back to. A keeper thread beats this server's result shards, keeps attached sessions alive and
 * adopts the bound results of servers whose shards stopped beating.
 *
 * <p>A token is {@code <session id>.<secret>}; Redis keeps only the SHA-256 of the secret and the
 * identity that made the session, and a token presented by another identity is refused. Thread-
 * safe.
 */
final class Sessions implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Sessions.class.getName());

  /** How often this server's shards beat. */
  static final Duration BEAT = Duration.ofSeconds(1);

  /** A shard that has not beaten for this long is adopted. */
  static final Duration SILENCE = Duration.ofSeconds(5);

  /** The reason a connection closes with when its session was resumed on another one. */
  static final String SESSION_MOVED = "session resumed on another connection";

  private static final int ADOPT_BATCH = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SessionBroker store;
  private final ResultRouter results;
  private final ServerCounters metrics;
  private final Duration window;
  private final int maxParked;
  private final InstanceControl control;
  private final Supplier<String> instance;
  private final BiPredicate<String, String> disconnect;
  private final Function<String, Connection> connections;
  private final Map<String, Connection> attached = new ConcurrentHashMap<>();
  private final Outage outage = new Outage("sessions");
  private final Thread keeper;
  private volatile boolean closed;

  Sessions(
      SessionBroker store,
      ResultRouter results,
      ServerCounters metrics,
      Duration window,
      int maxParked,
      InstanceControl control,
      Supplier<String> instance,
      BiPredicate<String, String> disconnect,
      Function<String, Connection> connections,
      ThreadFactory threads) {
    this.store = store;
    this.results = results;
    this.metrics = metrics;
    this.window = window;
    this.maxParked = maxParked;
    this.control = control;
    this.instance = instance;
    this.disconnect = disconnect;
    this.connections = connections;
    results.sessions(this);
    keeper = threads.newThread(this::keep);
    keeper.setName("juggler-sessions");
    keeper.start();
  }

  /**
   * Delivers a result of a session's call to its connection {@code c}: first remembered in Redis
   * for the session's window, then sent, so that a client whose connection dies with it unread (in
   * a socket buffer, or queued) gets it again when it resumes, however soon; if the session has
   * moved to another connection meanwhile, forwarded there instead, and if it has none, parked.
   * Runs on the caller's thread (a results pump): remembering afterwards, on a queue, fell seconds
   * behind on a loaded machine, and a client that resumed meanwhile lost the result (fault scenario
   * 7).
   *
   * @return whether Redis may stop holding {@code r} ({@link #settle}): false when Redis failed
   */
  boolean deliver(Connection c, TakenResult r) {
    String id = r.session();
    // a session's owner cleared while its connection is attached here and open is taken back
    boolean reclaim = attached.get(id) == c && c.isOpen();
    Park p;
    try {
      p = store.delivered(id, owner(c), r.result(), r.ttlMillis(), maxParked, window, reclaim);
    } catch (BrokerException e) {
      LOG.log(
          Level.FINE,
          "session {0}: could not remember a result before sending it: {1}",
          new Object[] {id, e.getMessage()});
      send(c, r.result()); // sent all the same; Redis still holds it should this server die
      return false;
    }
    switch (p.kind()) {
      case KEPT, GONE, FULL -> send(c, r.result());
      case PARKED -> metrics.sessionResult("parked"); // c is detached: it closed meanwhile
      case FORWARD -> {
        Owner o = Owner.parse(p.owner());
        if (o == null || o.connection().equals(c.id())) {
          send(c, r.result());
        } else {
          try {
            store.forward(o.shard(), id, r.result(), r.ttlMillis());
            metrics.sessionResult("forwarded");
          } catch (BrokerException e) {
            metrics.sessionResult("dropped");
            LOG.log(
                Level.WARNING,
                "session {0}: result of {1} not forwarded: {2}",
                new Object[] {id, r.result().msgUuid(), e.getMessage()});
            return false; // still held: adopted should this server die
          }
        }
      }
    }
    return true;
  }

  private void send(Connection c, CallPayload r) {
    c.send(new Res(Uuids.random(), r.msgUuid(), r.uri(), r.args()));
    metrics.sent(MessageType.RES);
  }

  /** What a connection sends first when its client asked for a session. */
  record Opened(SessionAck ack, List<Parked> parked) {}

  /**
   * Opens the session {@code c}'s client asked for: {@code requested} is {@code new} (or empty) for
   * a fresh one, or a token. Returns the session ACK and the results to send after it.
   */
  Opened open(Connection c, String requested) {
    String who = who(c);
    String refused = null;
    if (!requested.isEmpty() && !requested.equals("new")) {
      int dot = requested.indexOf('.');
      String id = dot > 0 ? requested.substring(0, dot) : "";
      String secret = dot > 0 ? requested.substring(dot + 1) : "";
      if (!id.equals(Uuids.normalize(id)) || secret.isEmpty() || secret.length() > 128) {
        refused = "invalid";
      } else {
        Attach a;
        try {
          a =
              store.attach(
                  id, hash(secret), who, owner(c), results.shardIdOf(c), window, maxParked);
        } catch (BrokerException e) {
          metrics.session("unavailable");
          return new Opened(
              new SessionAck(Uuids.random(), "", null, nanos(), false, "unavailable"), List.of());
        }
        if (a.outcome() == Attach.Outcome.RESUMED) {
          attach(c, id);
          metrics.session("resumed");
          takeOver(a.previousOwner(), c);
          LOG.log(
              Level.FINE,
              "{0} resumed session {1} ({2} results waiting)",
              new Object[] {c, id, a.parked().size()});
          return new Opened(
              new SessionAck(Uuids.random(), id, requested, nanos(), true, null), a.parked());
        }
        refused = a.outcome().name().toLowerCase(Locale.ROOT);
      }
      metrics.session(refused);
    }
    String id = Uuids.random();
    String secret = secret();
    try {
      store.create(id, hash(secret), who, owner(c), results.shardIdOf(c), window);
    } catch (BrokerException e) {
      metrics.session("unavailable");
      return new Opened(
          new SessionAck(Uuids.random(), "", null, nanos(), false, "unavailable"), List.of());
    }
    attach(c, id);
    metrics.session("created");
    return new Opened(
        new SessionAck(Uuids.random(), id, id + "." + secret, nanos(), false, refused), List.of());
  }

  private void attach(Connection c, String id) {
    c.attachSession(id);
    attached.put(id, c);
    if (c.isClosing()) {
      closed(c); // it closed while its session opened, before closed() could see the session
    }
  }

  /** Sends a session's opening: its ACK, then the results that waited for it. */
  void sendOpening(Connection c, Opened o) {
    c.send(o.ack());
    metrics.sent(MessageType.ACK);
    for (Parked p : o.parked()) {
      // remembered for the session by the attach already: sent again should c die with them
      send(c, p.result());
      metrics.sessionResult("resumed");
    }
  }

  /** The client closed its connection or lost it: the session waits for it for its window. */
  void closed(Connection c) {
    String id = c.sessionId();
    if (id == null || !attached.remove(id, c)) {
      return;
    }
    try {
      store.detach(id, owner(c), window);
    } catch (BrokerException e) {
      // the record expires with its last refresh; results meanwhile are parked as for a gone owner
      LOG.log(Level.FINE, "session {0}: detach failed: {1}", new Object[] {id, e.getMessage()});
    }
  }

  /** Binds a call of {@code c}, whose result will come to {@code shard}, to its session. */
  void bind(Connection c, String shard, String callUuid, String uri, long ttlMillis) {
    store.bind(shard, callUuid, c.sessionId(), uri, ttlMillis);
  }

  /** Where a pending call of {@code c}'s session is (made on any of its connections), if any. */
  Optional<SessionBroker.CallRef> findCall(Connection c, String callUuid) {
    return store.findCall(c.sessionId(), callUuid);
  }

  void unbind(String shard, String callUuid) {
    try {
      store.unbind(shard, callUuid);
    } catch (BrokerException e) {
      LOG.log(Level.FINE, "unbind {0} failed: {1}", new Object[] {callUuid, e.getMessage()});
    }
  }

  /**
   * A result bound to a session that no call on this server waits for (any more).
   *
   * @return whether Redis may stop holding {@code r} ({@link #settle}): false when Redis failed
   */
  boolean route(TakenResult r) {
    Connection c = attached.get(r.session());
    if (c != null && c.isOpen()) {
      metrics.sessionResult("resumed");
      return deliver(c, r);
    }
    String gone = c == null ? null : owner(c);
    try {
      for (int attempt = 0; attempt < 2; attempt++) {
        Park p = store.park(r.session(), r.result(), r.ttlMillis(), maxParked, gone);
        switch (p.kind()) {
          case PARKED -> metrics.sessionResult("parked");
          case GONE, FULL -> {
            metrics.sessionResult("dropped");
            metrics.orphanResult();
          }
          case FORWARD -> {
            Owner o = Owner.parse(p.owner());
            // an owner on the shard adopted from is forwarded to all the same: a server whose beats
            // were only late (a pause) still delivers it, a dead one's shard is adopted again
            // until the client resumes elsewhere or the result's time is up. One of ours that is
            // open but not attached yet (its session is being resumed right now) gets it through
            // its shard too: taking it for gone cleared the session's owner under its feet
            if (o == null || (o.instance().equals(instance.get()) && !isOpenHere(o))) {
              gone = p.owner(); // one of ours that is closed: park instead
              continue;
            }
            store.forward(o.shard(), r.session(), r.result(), r.ttlMillis());
            metrics.sessionResult("forwarded");
          }
        }
        return true;
      }
    } catch (BrokerException e) {
      metrics.sessionResult("dropped");
      LOG.log(
          Level.WARNING,
          "session {0}: result of {1} lost: {2}",
          new Object[] {r.session(), r.result().msgUuid(), e.getMessage()});
    }
    return false; // still held (if it was): adopted should this server die
  }

  private boolean isOpenHere(Owner o) {
    Connection c = connections.apply(o.connection());
    return c != null && c.isOpen();
  }

  /**
   * Redis need hold {@code r} no longer (it is delivered and remembered, parked or forwarded): for
   * results routed off the pumps, whose takes release theirs in passing.
   */
  void settle(TakenResult r) {
    if (!r.held()) {
      return;
    }
    try {
      store.settled(r.result().connUuid(), r.result().msgUuid());
    } catch (BrokerException e) {
      LOG.log(Level.FINE, "could not release a held result: {0}", e.getMessage());
    }
  }

  /** The connection the session was attached to before {@code c} took it is closed. */
  private void takeOver(String previous, Connection c) {
    Owner o = Owner.parse(previous);
    if (o == null || o.connection().equals(c.id())) {
      return;
    }
    try {
      if (o.instance().equals(instance.get())) {
        disconnect.test(o.connection(), SESSION_MOVED);
      } else {
        control.requestDisconnect(
            o.instance(), o.connection(), InstanceControl.Command.BY_SESSION_RESUME);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "could not close the session''s old connection: {0}", e.getMessage());
    }
  }

  private void keep() {
    Backoff backoff = new Backoff();
    long lastRefresh = System.nanoTime();
    while (!closed) {
      try {
        store.beat(results.shards());
        long now = System.nanoTime();
        if (now - lastRefresh > window.toNanos() / 4) {
          lastRefresh = now;
          store.refresh(List.copyOf(attached.keySet()), window);
        }
        for (String shard : store.deadShards(SILENCE)) {
          adopt(shard);
        }
        outage.recovered();
        backoff.reset();
        Thread.sleep(BEAT.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (BrokerException e) {
        if (closed) {
          return;
        }
        outage.failed(e);
        backoff.sleep();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "session keeper failed; continuing", e);
      }
    }
  }

  private void adopt(String shard) {
    List<TakenResult> taken;
    do {
      taken = store.adopt(shard, ADOPT_BATCH, SILENCE);
      if (taken == null) {
        return;
      }
      for (TakenResult r : taken) {
        metrics.sessionResult("adopted");
        route(r);
      }
    } while (taken.size() == ADOPT_BATCH);
  }

  /** Sessions attached to connections of this server. */
  int attachedCount() {
    return attached.size();
  }

  @Override
  public void close() {
    closed = true;
    keeper.interrupt();
    try {
      keeper.join(2_000);
      for (Map.Entry<String, Connection> e : attached.entrySet()) {
        store.detach(e.getKey(), owner(e.getValue()), window);
      }
      // the results still coming to this server's shards are adopted by the others at once
      store.release(results.shards());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "could not release the result shards: {0}", e.getMessage());
    }
  }

  private long nanos() {
    return window.toNanos();
  }

  private String owner(Connection c) {
    return results.shardIdOf(c) + "|" + instance.get() + "|" + c.id();
  }

  private static String who(Connection c) {
    return c.identity().isAuthenticated() ? c.identity().name() : "";
  }

  private static String secret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Where a session is attached: a result shard, a server instance and a connection. */
  record Owner(String shard, String instance, String connection) {
    static Owner parse(String s) {
      if (s == null) {
        return null;
      }
      String[] parts = s.split("\\|", -1);
      return parts.length == 3 && !parts[0].isEmpty()
          ? new Owner(parts[0], parts[1], parts[2])
          : null;
    }
  }
}
