package io.juggler.server;

import io.juggler.broker.BrokerMetrics;
import io.juggler.message.MessageType;
import io.juggler.registry.ExpiredCall;
import io.juggler.registry.ExpiredRecord;
import io.juggler.registry.InstanceState;
import io.juggler.server.tyrus.ParkedUpgrades;
import io.juggler.stats.Samples;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Every server and broker counter on MicroProfile Metrics (application scope). Names and meanings
 * are documented in {@code docs/metrics.md}. Counters are looked up once and cached; URIs and
 * channels are never used as tags, since clients choose them.
 */
@ApplicationScoped
public class ServerMetrics implements BrokerMetrics, ServerCounters {

  @Inject MetricRegistry registry;

  private final Map<MessageType, Counter> received = new EnumMap<>(MessageType.class);
  private final Map<MessageType, Counter> sent = new EnumMap<>(MessageType.class);
  private final Map<Integer, Counter> nacks = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> violations = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> closes = new ConcurrentHashMap<>();
  private final Map<String, Counter> limits = new ConcurrentHashMap<>();
  private final Map<String, Counter> authRefused = new ConcurrentHashMap<>();
  private final Map<String, Counter> sessions = new ConcurrentHashMap<>();
  private final Map<String, Counter> sessionResults = new ConcurrentHashMap<>();
  private final Map<String, Counter> cancels = new ConcurrentHashMap<>();
  private final Map<String, Counter> recoveries = new ConcurrentHashMap<>();
  private Counter replayedEvents;
  private final Map<String, Counter> handshakesRefused = new ConcurrentHashMap<>();
  private final AtomicLong active = new AtomicLong();
  private Counter connections;
  private Counter expiredInQueue;
  private Counter expiredResult;
  private Counter unanswered;
  private Counter abandoned;
  private Counter results;
  private Counter orphanResults;
  private Counter events;
  private Counter droppedEvents;
  private Counter invalidCall;
  private Counter invalidResult;
  private Counter invalidEvent;
  private Counter redisErrors;
  private Counter keepAliveTimeouts;
  private Counter credentialExpiries;
  private Histogram latency;
  private final Samples recentLatency = new Samples(1024);
  private final ExpiryLog expiries = new ExpiryLog(ExpiredRecord.RECENT_EXPIRED);

  @PostConstruct
  void init() {
    for (MessageType t : MessageType.values()) {
      if (t.isClientMessage()) {
        received.put(t, registry.counter("juggler.messages.received", new Tag("type", t.name())));
      } else {
        sent.put(t, registry.counter("juggler.messages.sent", new Tag("type", t.name())));
      }
    }
    registry.gauge("juggler.connections.active", active, AtomicLong::get);
    registry.gauge(
        "juggler.server.upgrade.parked.threads", ParkedUpgrades.class, c -> ParkedUpgrades.count());
    connections = registry.counter("juggler.connections");
    expiredInQueue = expired("queue");
    expiredResult = expired("result");
    unanswered = expired("unanswered");
    abandoned = expired("abandoned");
    results = registry.counter("juggler.results.delivered");
    orphanResults = registry.counter("juggler.results.dropped");
    events = registry.counter("juggler.events.delivered");
    replayedEvents = registry.counter("juggler.events.replayed");
    droppedEvents = registry.counter("juggler.events.dropped");
    invalidCall = registry.counter("juggler.payloads.invalid", new Tag("kind", "call"));
    invalidResult = registry.counter("juggler.payloads.invalid", new Tag("kind", "result"));
    invalidEvent = registry.counter("juggler.payloads.invalid", new Tag("kind", "event"));
    redisErrors = registry.counter("juggler.redis.errors");
    keepAliveTimeouts = registry.counter("juggler.connections.keepalive.timeouts");
    credentialExpiries = registry.counter("juggler.connections.credential.expired");
    // a histogram in microseconds rather than a Timer: Payara 6's Prometheus output of Timers
    // mixes nanoseconds into the "_seconds" series (fixed upstream after 6.2025.10)
    latency =
        registry.histogram(
            Metadata.builder()
                .withName("juggler.call.latency.micros")
                .withDescription("CALL received to RES queued, in microseconds")
                .build());
  }

  /**
   * The reference server's counters (spec 9.1) under their reference names, for {@code
   * /debug/vars}. Counters this server has no equivalent for are left out (readers take 0).
   */
  public Map<String, Long> referenceCounters() {
    Map<String, Long> m = new TreeMap<>();
    long read = 0;
    long write = 0;
    for (Map.Entry<MessageType, Counter> e : received.entrySet()) {
      m.put("Msgs" + e.getKey().name(), e.getValue().getCount());
      read += e.getValue().getCount();
    }
    for (Map.Entry<MessageType, Counter> e : sent.entrySet()) {
      m.put("Msgs" + e.getKey().name(), e.getValue().getCount());
      write += e.getValue().getCount();
    }
    m.put("MsgsRead", read);
    m.put("MsgsWrite", write);
    m.put("Msgs", read + write);
    m.put("ActiveConns", active.get());
    m.put("TotalConns", connections.getCount());
    m.put("Results", results.getCount());
    m.put("ExpiredResults", expiredResult.getCount());
    m.put("ExpiredCalls", expiredInQueue.getCount());
    m.put("Events", events.getCount());
    m.put("FailedResPayloadUnmarshals", invalidResult.getCount());
    m.put("FailedCallPayloadUnmarshals", invalidCall.getCount());
    m.put("FailedEvntPayloadUnmarshals", invalidEvent.getCount());
    return m;
  }

  /** Expired calls not yet written to the cluster registry. */
  ExpiryLog expiries() {
    return expiries;
  }

  /** This instance's cumulative counters for the cluster registry. */
  Map<String, Long> registryCounters() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put(InstanceState.Counters.CALLS, received.get(MessageType.CALL).getCount());
    m.put(InstanceState.Counters.PUBS, received.get(MessageType.PUB).getCount());
    m.put(InstanceState.Counters.SUBS, received.get(MessageType.SUB).getCount());
    m.put(InstanceState.Counters.RESULTS, results.getCount());
    m.put(InstanceState.Counters.EVENTS, events.getCount());
    m.put(InstanceState.Counters.NACKS, sent.get(MessageType.NACK).getCount());
    m.put(InstanceState.Counters.CONNECTIONS, connections.getCount());
    m.put(InstanceState.Counters.REDIS_ERRORS, redisErrors.getCount());
    m.put(
        InstanceState.Counters.AUTH_REFUSED,
        authRefused.values().stream().mapToLong(Counter::getCount).sum());
    m.put(InstanceState.Counters.LATENCY_COUNT, latency.getCount());
    m.put(InstanceState.Counters.LATENCY_SUM_MICROS, latency.getSum());
    m.put(InstanceState.Counters.SESSIONS_CREATED, count(sessions, "created"));
    m.put(InstanceState.Counters.SESSIONS_RESUMED, count(sessions, "resumed"));
    m.put(
        InstanceState.Counters.SESSIONS_REFUSED, count(sessions, "expired", "invalid", "foreign"));
    m.put(InstanceState.Counters.SESSION_RESULTS_RESUMED, count(sessionResults, "resumed"));
    m.put(InstanceState.Counters.SESSION_RESULTS_DROPPED, count(sessionResults, "dropped"));
    m.put(InstanceState.Counters.RECOVERIES_RECOVERED, count(recoveries, "recovered"));
    m.put(
        InstanceState.Counters.RECOVERIES_NOT_RECOVERABLE,
        count(recoveries, "epoch_changed", "history_gone"));
    m.put(InstanceState.Counters.EVENTS_REPLAYED, replayedEvents.getCount());
    m.put(InstanceState.Counters.CANCELLED_QUEUED, count(cancels, "queued"));
    m.put(InstanceState.Counters.CANCELLED_RUNNING, count(cancels, "running"));
    return m;
  }

  /** The sum of the counters of {@code tags} (a tag never counted yet has no counter: 0). */
  private static long count(Map<String, Counter> byTag, String... tags) {
    long n = 0;
    for (String t : tags) {
      Counter c = byTag.get(t);
      n += c == null ? 0 : c.getCount();
    }
    return n;
  }

  /** p99 of the most recent call latencies, in microseconds. */
  long recentLatencyP99Micros() {
    return recentLatency.percentile(99);
  }

  private Counter expired(String stage) {
    return registry.counter("juggler.calls.expired", new Tag("stage", stage));
  }

  void connectionOpened() {
    active.incrementAndGet();
    connections.inc();
  }

  /**
   * @param code the close code the server sent, or 0 when the client closed or vanished
   */
  void connectionClosed(int code) {
    active.decrementAndGet();
    closes
        .computeIfAbsent(
            code,
            c ->
                registry.counter(
                    "juggler.connections.closed",
                    new Tag("by", c == 0 ? "client" : "server"),
                    new Tag("code", c == 0 ? "none" : Integer.toString(c))))
        .inc();
  }

  @Override
  public void limitExceeded(String limit) {
    limits
        .computeIfAbsent(
            limit, l -> registry.counter("juggler.limits.exceeded", new Tag("limit", l)))
        .inc();
  }

  @Override
  public void authRefused(String action) {
    authRefused
        .computeIfAbsent(
            action, a -> registry.counter("juggler.auth.refused", new Tag("action", a)))
        .inc();
  }

  /**
   * A websocket handshake refused before the upgrade for {@code reason}: {@code subprotocol} (HTTP
   * 400) or {@code origin} (HTTP 403). Refusals for the credential are {@link #authRefused}.
   */
  public void handshakeRefused(String reason) {
    handshakesRefused
        .computeIfAbsent(
            reason, r -> registry.counter("juggler.handshakes.refused", new Tag("reason", r)))
        .inc();
  }

  @Override
  public void session(String outcome) {
    sessions
        .computeIfAbsent(outcome, o -> registry.counter("juggler.sessions", new Tag("outcome", o)))
        .inc();
  }

  @Override
  public void recovery(String outcome) {
    recoveries
        .computeIfAbsent(
            outcome,
            o -> registry.counter("juggler.subscriptions.recoveries", new Tag("outcome", o)))
        .inc();
  }

  @Override
  public void replayed(int count) {
    replayedEvents.inc(count);
  }

  @Override
  public void cancelled(String stage) {
    cancels
        .computeIfAbsent(
            stage, s -> registry.counter("juggler.calls.cancelled", new Tag("stage", s)))
        .inc();
  }

  @Override
  public void sessionResult(String fate) {
    sessionResults
        .computeIfAbsent(
            fate, f -> registry.counter("juggler.sessions.results", new Tag("fate", f)))
        .inc();
  }

  /** A connection closed because its credential expired. */
  void credentialExpired() {
    credentialExpiries.inc();
  }

  /** A connection closed because its peer stayed silent after a keep-alive ping. */
  void keepAliveTimeout() {
    keepAliveTimeouts.inc();
  }

  public long activeConnections() {
    return active.get();
  }

  @Override
  public void received(MessageType type) {
    received.get(type).inc();
  }

  @Override
  public void sent(MessageType type) {
    sent.get(type).inc();
  }

  @Override
  public void nack(int code) {
    nacks
        .computeIfAbsent(
            code, c -> registry.counter("juggler.nacks", new Tag("code", Integer.toString(c))))
        .inc();
  }

  @Override
  public void violation(int closeCode) {
    violations
        .computeIfAbsent(
            closeCode,
            c ->
                registry.counter(
                    "juggler.protocol.violations", new Tag("code", Integer.toString(c))))
        .inc();
  }

  @Override
  public void result(String uri, long latencyNanos) {
    results.inc();
    latency.update(latencyNanos / 1_000);
    recentLatency.add(latencyNanos / 1_000);
  }

  /** A result arrived for a call nobody waits for any more (connection gone or swept). */
  @Override
  public void orphanResult() {
    orphanResults.inc();
  }

  /** A call's deadline passed with no result (the client saw it expire). */
  @Override
  public void unansweredCall(String uri, String msgUuid) {
    unanswered.inc();
    expiries.record(uri, msgUuid, ExpiredCall.Stage.UNANSWERED);
  }

  /** A call was pending when its connection closed. */
  @Override
  public void abandonedCall(String uri, String msgUuid) {
    abandoned.inc();
    expiries.record(uri, msgUuid, ExpiredCall.Stage.ABANDONED);
  }

  /**
   * One event fanned out: {@code delivered} EVNTs queued, {@code dropped} for closed connections.
   */
  @Override
  public void events(long delivered, long dropped) {
    if (delivered > 0) {
      events.inc(delivered);
      sent.get(MessageType.EVNT).inc(delivered);
    }
    if (dropped > 0) {
      droppedEvents.inc(dropped);
    }
  }

  @Override
  public void expiredCall(String uri, String msgUuid) {
    expiredInQueue.inc();
    expiries.record(uri, msgUuid, ExpiredCall.Stage.QUEUE);
  }

  @Override
  public void invalidCallPayload() {
    invalidCall.inc();
  }

  @Override
  public void expiredResult(String uri, String msgUuid) {
    expiredResult.inc();
    expiries.record(uri, msgUuid, ExpiredCall.Stage.RESULT);
  }

  @Override
  public void invalidResultPayload() {
    invalidResult.inc();
  }

  @Override
  public void invalidEventPayload() {
    invalidEvent.inc();
  }

  @Override
  public void redisError() {
    redisErrors.inc();
  }
}
