package io.juggler.server;

import io.juggler.auth.AuthMode;
import io.juggler.auth.AuthSettings;
import io.juggler.auth.TokenVerifier;
import io.juggler.broker.CallerBroker;
import io.juggler.broker.PubSubBroker;
import io.juggler.broker.SessionBroker;
import io.juggler.config.JugglerConfig;
import io.juggler.message.AllowedMessages;
import io.juggler.message.MessageType;
import io.juggler.message.Protocol;
import io.juggler.message.SessionAck;
import io.juggler.message.Unsb;
import io.juggler.message.Uuids;
import io.juggler.registry.InstanceControl;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.websocket.Session;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server role: live connections, the {@link RequestPipeline} their frames go through, the
 * result and event routers, and the watchdog (write timeouts, keep-alive). The websocket endpoint
 * only hands frames here. Started with the application when {@code juggler.server.enabled}.
 */
@ApplicationScoped
public class JugglerServer {

  private static final Logger LOG = Logger.getLogger(JugglerServer.class.getName());

  /** Threads that send closes which may wait for a stalled write (idle ones end). */
  private static final int CLOSER_THREADS = 8;

  @Inject JugglerConfig config;

  @Inject CallerBroker calls;

  @Inject PubSubBroker pubsub;

  @Inject ServerMetrics metrics;

  @Inject SessionBroker sessionStore;

  @Inject InstanceControl control;

  @Inject Instance<StatePublisher> publisher;

  @Resource ManagedThreadFactory threads;

  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final ServedUris servedUris = new ServedUris();
  private ResultRouter results;
  private Sessions sessions;
  private EventRouter events;
  private RequestPipeline pipeline;
  private RateLimit rateLimit;
  private Connection.Limits connectionLimits;
  private Thread watchdog;
  private ExecutorService closer;
  private ExecutorService replays;
  private IdleTimers idleTimers;
  private volatile boolean stopping;

  // the web module's start (payload ServletContext), not the application's: in an EAR on Payara
  // Server that one reaches observers outside this module's naming context (@Resource fails)
  void start(@Observes @Initialized(ApplicationScoped.class) ServletContext ignored) {
    if (!config.server().enabled()) {
      LOG.log(Level.INFO, "server role disabled ({0}=false)", JugglerConfig.SERVER_ENABLED);
      return;
    }
    results =
        new ResultRouter(
            calls,
            metrics,
            config.server().resultShards(),
            config.redis().blockingTimeout(),
            threads);
    if (!config.server().resumeWindow().isZero()) {
      sessions =
          new Sessions(
              sessionStore,
              results,
              metrics,
              config.server().resumeWindow(),
              config.limits().maxPendingCalls(),
              control,
              () -> publisher.get().instanceId(),
              this::disconnect,
              connections::get,
              threads);
    }
    events =
        new EventRouter(
            pubsub,
            metrics,
            config.subscribeConfirmTimeout(),
            threads,
            config.server().effectiveEventThreads());
    Replies replies = new Replies(metrics);
    rateLimit = new RateLimit(config, metrics);
    connectionLimits =
        new Connection.Limits(config.server().outboundQueue(), config.server().outboundBytes());
    List<Admission> rules = new ArrayList<>();
    rules.add(rateLimit);
    rules.add(new ValidNames(config.limits().names(), metrics));
    rules.add(new Authorization(config.auth().rules(), metrics));
    rules.add(new CallLimits(config, results, metrics));
    // fail fast (opt-in): NACK at once what would only expire
    if (config.calls().rejectUnserved()) {
      rules.add(new UnservedUris(servedUris, metrics));
    }
    if (config.calls().admission()) {
      rules.add(new QueueAdmission(servedUris, calls, metrics));
    }
    rules.add(new SubscriptionLimit(config, events, metrics));
    pipeline =
        new RequestPipeline(new CallCheck(config.calls().defaultTimeout()), rules, replies, metrics)
            .on(MessageType.CALL, new CallHandler(config, results, metrics))
            .on(MessageType.PUB, PubSubHandlers.pub(pubsub, config.history(), replies))
            .on(MessageType.SUB, PubSubHandlers.sub(events, recovery(replies), replies))
            .on(
                MessageType.UNSB,
                cancelOr(
                    new CancelHandler(results, metrics), PubSubHandlers.unsb(events, replies)));
    idleTimers = new IdleTimers(threads);
    // closes that may wait for a stalled write (Open Liberty): off the lanes, pumps and watchdog,
    // and several at a time
    ThreadPoolExecutor closes =
        new ThreadPoolExecutor(
            CLOSER_THREADS,
            CLOSER_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = threads.newThread(r);
              t.setName("juggler-closer");
              return t;
            });
    closes.allowCoreThreadTimeOut(true);
    closer = closes;
    watchdog = threads.newThread(this::watch);
    watchdog.setName("juggler-write-watchdog");
    watchdog.start();
    LOG.log(
        Level.INFO,
        "juggler.0 server started: {0} result pumps, 1 pub-sub connection, {1} event threads",
        new Object[] {config.server().resultShards(), config.server().effectiveEventThreads()});
    String open = openToAnonymous(config.auth());
    if (open != null) {
      // once per start; a demo (the demo functions on) is open on purpose
      LOG.log(config.callee().demoEnabled() ? Level.INFO : Level.WARNING, open);
    }
    if (config.auth().mode() != AuthMode.NONE && config.auth().tokens().isEmpty()) {
      LOG.log(
          Level.INFO,
          "no {0} set: bearer tokens are refused, only users logged in to this application"
              + " (its HTTP session) authenticate",
          TokenVerifier.PUBLIC_KEY);
    }
    if (config.auth().mode() != AuthMode.NONE) {
      config.auth().tokens().ifPresent(t -> t.weaknesses().forEach(w -> LOG.warning(w)));
    }
  }

  /** What anonymous clients may do, for the start-up warning; null when nothing. */
  static String openToAnonymous(AuthSettings auth) {
    if (auth.mode() == AuthMode.REQUIRED) {
      return null;
    }
    String mode = JugglerConfig.AUTH_MODE + "=" + auth.mode().name().toLowerCase(Locale.ROOT);
    if (auth.rules().isEmpty()) {
      return "open to anonymous clients: any client that reaches /ws may call every URI and"
          + " hear every channel ("
          + mode
          + ", no "
          + JugglerConfig.AUTH_RULES
          + "); see docs/security.md";
    }
    List<String> grants = auth.rules().anonymousGrants();
    return grants.isEmpty()
        ? null
        : "open to anonymous clients (" + mode + "): " + String.join("; ", grants);
  }

  /** History replays of recovering subscribers (issue 23): a few threads, idle ones end. */
  private static final int REPLAY_THREADS = 4;

  private HistoryRecovery recovery(Replies replies) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            REPLAY_THREADS,
            REPLAY_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = threads.newThread(r);
              t.setName("juggler-replay");
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    replays = pool;
    return new HistoryRecovery(
        pubsub, events, config.history(), replies, metrics, pool, config.server().writeTimeout());
  }

  /** UNSB: a cancel (with {@code call}) or an unsubscribe. */
  private static RequestHandler<Unsb> cancelOr(
      RequestHandler<Unsb> cancel, RequestHandler<Unsb> unsubscribe) {
    return (c, unsb) -> (unsb.isCancel() ? cancel : unsubscribe).handle(c, unsb);
  }

  /** What live callees serve, for the fail-fast rules; refreshed by the {@link StatePublisher}. */
  ServedUris servedUris() {
    return servedUris;
  }

  /** Whether a fail-fast rule needs {@link #servedUris()}. */
  boolean needsServedUris() {
    return config.server().enabled()
        && (config.calls().rejectUnserved() || config.calls().admission());
  }

  /**
   * Closes connections whose peer stopped reading (a write outlived the write timeout), and keeps
   * the others alive: a ping after {@code juggler.server.ping-interval} of silence, a close after
   * twice that. Without the pings a peer that vanished (a half-open TCP connection, or one the
   * container lost track of) would hold its connection, subscriptions and pending calls forever.
   */
  private void watch() {
    long timeout = config.server().writeTimeout().toNanos();
    long ping = config.server().pingInterval().toNanos();
    long periodMillis = config.server().writeTimeout().toMillis() / 4;
    if (ping > 0) {
      periodMillis = Math.min(periodMillis, config.server().pingInterval().toMillis() / 4);
    }
    long period = Math.max(50, Math.min(1_000, periodMillis));
    while (!stopping) {
      try {
        Thread.sleep(period);
        long now = System.nanoTime();
        for (Connection c : connections.values()) {
          if (c.closeIfWriteStalled(now, timeout)) {
            LOG.log(Level.FINE, "{0} write timed out, closed", c);
          } else if (c.closeIfCredentialExpired(System.currentTimeMillis())) {
            metrics.credentialExpired();
            LOG.log(Level.FINE, "{0} credential expired, closed", c);
          } else if (ping > 0 && c.keepAlive(now, ping, metrics::keepAliveTimeout)) {
            LOG.log(Level.FINE, "{0} silent after a ping, closed", c);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "watchdog failed; continuing", e);
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
    if (closer != null) {
      closer.shutdownNow();
    }
    if (replays != null) {
      replays.shutdownNow();
    }
    if (sessions != null) {
      sessions.close();
    }
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

  /** Calls {@code c} waits a result for. */
  public int pendingCalls(Connection c) {
    return results == null ? 0 : results.pendingCount(c);
  }

  /** Channels and patterns {@code c} is subscribed to. */
  public int subscriptions(Connection c) {
    return events == null ? 0 : events.subscriptionCount(c);
  }

  Connection open(Session session, String allowedHeader, Connection.Peer peer) {
    idleTimers.adopt(session);
    Connection c =
        new Connection(
            Uuids.random(),
            session,
            AllowedMessages.parse(allowedHeader),
            connectionLimits,
            rateLimit.bucket(),
            metrics,
            closer,
            peer);
    connections.put(c.id(), c);
    metrics.connectionOpened();
    LOG.log(
        Level.FINE,
        "{0} connected from {1} as {2}",
        new Object[] {c, peer.address(), peer.identity()});
    return c;
  }

  /**
   * Opens the resumable session {@code c}'s client asked for ({@code new}, or its token), and sends
   * the session ACK first, then the results that waited for it; with sessions off ({@value
   * JugglerConfig#RESUME_WINDOW} 0) the ACK says {@code disabled}.
   */
  void openSession(Connection c, String requested) {
    if (sessions == null) {
      metrics.session("disabled");
      c.send(new SessionAck(Uuids.random(), "", null, 0, false, "disabled"));
      return;
    }
    sessions.sendOpening(c, sessions.open(c, requested));
  }

  /** Closes {@code c}, whose handshake the configurator refused to authenticate, with 1008. */
  void authRefused(Connection c, String reason) {
    metrics.authRefused("CONNECT");
    LOG.log(Level.FINE, "{0} refused at the handshake: {1}", new Object[] {c, reason});
    c.close(Protocol.CLOSE_POLICY_VIOLATION, "authentication failed: " + reason);
  }

  void closed(Connection c) {
    if (connections.remove(c.id()) == null) {
      return;
    }
    int code = c.closeCode();
    c.markClosed();
    metrics.connectionClosed(code);
    if (sessions != null) {
      sessions.closed(c);
    }
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

  /** Handles one text frame (see {@link RequestPipeline}). */
  void handle(Connection c, String text) {
    pipeline.process(c, text);
  }

  void violation(Connection c, int code, String reason) {
    pipeline.violation(c, code, reason);
  }
}
