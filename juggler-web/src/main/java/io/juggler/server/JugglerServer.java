package io.juggler.server;

import io.juggler.broker.BrokerException;
import io.juggler.broker.redis.RedisBroker;
import io.juggler.config.JugglerConfig;
import io.juggler.message.Ack;
import io.juggler.message.AllowedMessages;
import io.juggler.message.Call;
import io.juggler.message.JsonCodec;
import io.juggler.message.Message;
import io.juggler.message.MessageType;
import io.juggler.message.Nack;
import io.juggler.message.Protocol;
import io.juggler.message.ProtocolException;
import io.juggler.message.Pub;
import io.juggler.message.PubPayload;
import io.juggler.message.Sub;
import io.juggler.message.Unsb;
import io.juggler.message.Uuids;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.websocket.Session;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server role: live connections, request processing and the two pumps. The websocket endpoint
 * only hands frames here.
 *
 * <p>Requests of one connection are processed one after another on the container's thread, so
 * ACK/NACKs go out in request order (spec 1.4); a broker failure becomes a NACK here and nowhere
 * else. Started with the application when {@code juggler.server.enabled}.
 */
@ApplicationScoped
public class JugglerServer {

  private static final Logger LOG = Logger.getLogger(JugglerServer.class.getName());

  @Inject JugglerConfig config;

  @Inject RedisBroker broker;

  @Inject ServerMetrics metrics;

  @Resource ManagedThreadFactory threads;

  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private ResultRouter results;
  private EventRouter events;
  private Thread watchdog;
  private IdleTimers idleTimers;
  private volatile boolean stopping;

  // the web module's start (payload ServletContext), not the application's: in an EAR on Payara
  // Server that one reaches observers outside this module's naming context (@Resource fails)
  void start(@Observes @Initialized(ApplicationScoped.class) ServletContext ignored) {
    if (!config.serverEnabled()) {
      LOG.info("server role disabled (" + JugglerConfig.SERVER_ENABLED + "=false)");
      return;
    }
    results =
        new ResultRouter(broker, metrics, config.resultShards(), config.blockingTimeout(), threads);
    events =
        new EventRouter(
            broker,
            metrics,
            config.redisTimeout().multipliedBy(2),
            threads,
            config.effectiveEventThreads());
    idleTimers = new IdleTimers(threads);
    watchdog = threads.newThread(this::watch);
    watchdog.setName("juggler-write-watchdog");
    watchdog.start();
    LOG.log(
        Level.INFO,
        "juggler.0 server started: {0} result pumps, 1 pub-sub connection, {1} event threads",
        new Object[] {config.resultShards(), config.effectiveEventThreads()});
  }

  /**
   * Closes connections whose peer stopped reading (a write outlived the write timeout), and keeps
   * the others alive: a ping after {@code juggler.server.ping-interval} of silence, a close after
   * twice that. Without the pings a peer that vanished (a half-open TCP connection, or one the
   * container lost track of) would hold its connection, subscriptions and pending calls forever.
   */
  private void watch() {
    long timeout = config.writeTimeout().toNanos();
    long ping = config.pingInterval().toNanos();
    long periodMillis = config.writeTimeout().toMillis() / 4;
    if (ping > 0) {
      periodMillis = Math.min(periodMillis, config.pingInterval().toMillis() / 4);
    }
    long period = Math.max(50, Math.min(1_000, periodMillis));
    while (!stopping) {
      try {
        Thread.sleep(period);
        long now = System.nanoTime();
        for (Connection c : connections.values()) {
          if (c.closeIfWriteStalled(now, timeout)) {
            LOG.log(Level.FINE, "{0} write timed out, closed", c);
          } else if (ping > 0 && c.keepAlive(now, ping)) {
            metrics.keepAliveTimeout();
            LOG.log(Level.FINE, "{0} silent after a ping, closed", c);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "write watchdog failed; continuing", e);
      }
    }
  }

  @PreDestroy
  void stop() {
    stopping = true;
    if (watchdog != null) {
      watchdog.interrupt();
    }
    connections.values().forEach(c -> c.close(Protocol.CLOSE_GOING_AWAY, "server stopping"));
    if (results != null) {
      results.close();
    }
    if (idleTimers != null) {
      idleTimers.close();
    }
    if (events != null) {
      events.close();
    }
  }

  /** Sessions given the cheap idle-timeout scheduler (see {@link IdleTimers}). */
  public long idleTimersAdopted() {
    return idleTimers == null ? 0 : idleTimers.adopted();
  }

  public boolean isEnabled() {
    return results != null;
  }

  /** True when the pumps run and the pub-sub connection is up. */
  public boolean isHealthy() {
    return results != null && results.isHealthy() && events.isConnected();
  }

  /** True unless a pump thread died (Redis outages do not kill pumps). */
  public boolean pumpsAlive() {
    return results == null || results.pumpsAlive();
  }

  public JugglerConfig config() {
    return config;
  }

  /** Live connections of this instance (a read-only view). */
  public Collection<Connection> connections() {
    return Collections.unmodifiableCollection(connections.values());
  }

  /** Local subscribers per channel or pattern. */
  Map<EventRouter.Name, Integer> subscriberCounts() {
    return events == null ? Map.of() : events.subscriberCounts();
  }

  public int pendingCalls() {
    return results == null ? 0 : results.pendingCount();
  }

  Connection open(Session session, String allowedHeader, String remote, String userAgent) {
    idleTimers.adopt(session);
    Connection c =
        new Connection(
            Uuids.random(),
            session,
            AllowedMessages.parse(allowedHeader),
            config.outboundQueue(),
            remote,
            userAgent);
    connections.put(c.id(), c);
    metrics.connectionOpened();
    LOG.log(Level.FINE, "{0} connected from {1}", new Object[] {c, remote});
    return c;
  }

  void closed(Connection c) {
    if (connections.remove(c.id()) == null) {
      return;
    }
    int code = c.closeCode();
    c.markClosed();
    metrics.connectionClosed(code);
    results.forget(c);
    events.forget(c);
    LOG.log(Level.FINE, "{0} closed", c);
  }

  /** Closes a connection by id (e.g. from the console); false if it is not on this instance. */
  public boolean disconnect(String connectionId, String reason) {
    Connection c = connections.get(connectionId);
    if (c == null) {
      return false;
    }
    c.close(Protocol.CLOSE_POLICY_VIOLATION, reason);
    return true;
  }

  /** Handles one text frame; a protocol violation closes the connection. */
  void handle(Connection c, String text) {
    c.received();
    Message m;
    try {
      m = JsonCodec.decodeRequest(text);
      if (!c.allows(m.type())) {
        throw new ProtocolException(
            Protocol.CLOSE_POLICY_VIOLATION,
            m.type()
                + " is not allowed on this connection ("
                + Protocol.ALLOWED_MESSAGES_HEADER
                + ")");
      }
    } catch (ProtocolException e) {
      violation(c, e.closeCode(), e.getMessage());
      return;
    }
    metrics.received(m.type());
    LOG.log(Level.FINEST, "{0} msg={1} received {2}", new Object[] {c, m.uuid(), m.type()});
    try {
      if (m instanceof Call call) {
        call(c, call);
      } else if (m instanceof Pub pub) {
        broker.publish(pub.channel(), new PubPayload(pub.uuid(), pub.args()));
        reply(c, Ack.of(pub));
      } else if (m instanceof Sub sub) {
        events.subscribe(c, sub.channel(), sub.pattern());
        reply(c, Ack.of(sub));
      } else if (m instanceof Unsb unsb) {
        events.unsubscribe(c, unsb.channel(), unsb.pattern());
        reply(c, Ack.of(unsb));
      }
    } catch (BrokerException e) {
      LOG.log(
          Level.FINE,
          "{0} msg={1} {2} refused: {3}",
          new Object[] {c, m.uuid(), m.type(), e.getMessage()});
      reply(c, Nack.of(m, 500, e.getMessage()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, c + " msg=" + m.uuid() + " " + m.type() + " failed", e);
      c.close(Protocol.CLOSE_INTERNAL_ERROR, "internal error");
    }
  }

  private void call(Connection c, Call call) {
    if (config.closeUri().isPresent() && config.closeUri().get().equals(call.uri())) {
      c.close(Protocol.CLOSE_NORMAL, "bye");
      return;
    }
    if (call.uri().isEmpty()) {
      reply(c, Nack.of(call, 400, "missing uri"));
      return;
    }
    long ttl;
    if (call.timeoutNanos() < 0) {
      reply(c, Nack.of(call, 400, "invalid timeout: " + call.timeoutNanos() + " is negative"));
      return;
    } else if (call.timeoutNanos() == 0) {
      ttl = config.defaultCallTimeout().toMillis();
    } else {
      ttl = Math.max(1, call.timeoutNanos() / 1_000_000);
    }
    if (results.register(c, call, ttl) == ResultRouter.Registration.DUPLICATE) {
      reply(c, Nack.of(call, 409, "a call with uuid " + call.uuid() + " is already pending"));
      return;
    }
    metrics.sent(MessageType.ACK);
    results.acknowledge(c, call);
  }

  private void reply(Connection c, Message m) {
    if (m instanceof Nack n) {
      metrics.nack(n.code());
    }
    metrics.sent(m.type());
    c.send(m);
  }

  void violation(Connection c, int code, String reason) {
    metrics.violation(code);
    LOG.log(
        Level.FINE,
        "{0} protocol violation, closing with {1}: {2}",
        new Object[] {c, code, reason});
    c.close(code, reason);
  }
}
