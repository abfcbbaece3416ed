package io.juggler.broker.redis;

import io.juggler.broker.BrokerException;
import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.CalleeBroker;
import io.juggler.broker.CallerBroker;
import io.juggler.broker.CapacityExceededException;
import io.juggler.broker.DuplicateCallException;
import io.juggler.broker.EventListener;
import io.juggler.broker.EventSubscriber;
import io.juggler.broker.HistoryRead;
import io.juggler.broker.PubSubBroker;
import io.juggler.broker.ReceivedCall;
import io.juggler.broker.TakenResult;
import io.juggler.message.CallPayload;
import io.juggler.message.InvalidPayloadException;
import io.juggler.message.JsonCodec;
import io.juggler.message.PubPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.KeyValue;

/**
 * The broker on Redis: implements all three roles with the layout of spec section 6, on the shared
 * {@link RedisClients} (short commands and scripts on the pooled client, blocking pops on the
 * blocking one, PUBLISH on the pub-sub Redis). Thread-safe.
 */
public final class RedisBroker implements CallerBroker, CalleeBroker, PubSubBroker, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());

  private static final RedisScript REGISTER = RedisScript.load("register.lua");
  private static final RedisScript TAKE = RedisScript.load("take.lua");
  private static final RedisScript TAKE_NEXT = RedisScript.load("take-next.lua");
  private static final RedisScript CLAIM = RedisScript.load("claim.lua");
  private static final RedisScript ACK = RedisScript.load("ack.lua");
  private static final RedisScript LEASE = RedisScript.load("lease.lua");
  private static final RedisScript REAP = RedisScript.load("reap.lua");
  private static final RedisScript CANCEL = RedisScript.load("cancel.lua");
  private static final RedisScript HISTORY_PUBLISH = RedisScript.load("history-publish.lua");
  private static final RedisScript HISTORY_READ = RedisScript.load("history-read.lua");

  /** A popped entry and the PTTL of its expiry key, or -3 when the script left that to us. */
  private record Popped(String payload, long pttl, String session) {}

  /** What take-next.lua took, and how many entries its lists still hold. */
  private record Taken(List<Popped> popped, long waiting) {}

  /**
   * Entries a blocking pop took whose take script then failed (Redis went away between the two
   * round trips), by list: taken first by the next take on that list, so a Redis outage does not
   * cost them (the fault suite found results lost so). In memory: lost only if this process dies.
   */
  private final Map<String, Queue<String>> leftovers = new ConcurrentHashMap<>();

  private final RedisClients clients;
  private final RedisSettings settings;
  private final BrokerMetrics metrics;
  private final boolean ownsClients;
  private final GroupCommit registrations;

  /** A broker on shared clients; closing it leaves them open. */
  public RedisBroker(RedisClients clients) {
    this(clients, false);
  }

  /** A broker with clients of its own, closed with it. */
  public RedisBroker(RedisSettings settings, BrokerMetrics metrics) {
    this(new RedisClients(settings, metrics), true);
  }

  private RedisBroker(RedisClients clients, boolean ownsClients) {
    this.clients = clients;
    this.settings = clients.settings();
    this.metrics = clients.metrics();
    this.ownsClients = ownsClients;
    this.registrations =
        settings.cluster()
            ? GroupCommit.direct(clients.commands(), REGISTER)
            : GroupCommit.pipelined(clients.commands(), REGISTER);
  }

  /** Checks that every Redis answers PING; throws {@link BrokerUnavailableException} if not. */
  public void ping() {
    clients.ping();
  }

  // ------------------------------------------------------------------ CallerBroker

  @Override
  public void call(CallPayload call, long ttlMillis) {
    register(
        RedisKeys.callTimeout(call.uri(), call.msgUuid()),
        RedisKeys.calls(call.uri()),
        ttlMillis,
        JsonCodec.encodeCallPayload(call),
        settings.callCapacity(),
        true);
  }

  @Override
  public Optional<CallPayload> takeResult(String connUuid, Duration timeout) {
    List<CallPayload> results = takeResults(connUuid, timeout, 1);
    return results.isEmpty() ? Optional.empty() : Optional.of(results.get(0));
  }

  @Override
  public List<CallPayload> takeResults(String connUuid, Duration timeout, int max) {
    return takeBoundResults(connUuid, timeout, max).stream().map(TakenResult::result).toList();
  }

  @Override
  public List<TakenResult> takeBoundResults(String connUuid, Duration timeout, int max) {
    return takeBoundResults(connUuid, timeout, max, List.of());
  }

  @Override
  public List<TakenResult> takeBoundResults(
      String connUuid, Duration timeout, int max, Collection<String> settled) {
    String list = RedisKeys.results(connUuid);
    // A blocking look, not a pop: BLMOVE of the list onto itself, tail to tail, answers with the
    // oldest result as soon as there is one and leaves the list as it was. So a look sent on a
    // connection that then timed out, which Redis runs when it resumes from a freeze, costs
    // nothing: the result stays in the list (under the list's expiry) for the next take. A BRPOP
    // there would have taken a result whose reply nobody reads. take-next.lua then pops.
    String seen =
        run(
            () ->
                clients
                    .blocking()
                    .blmove(
                        list, list, ListDirection.RIGHT, ListDirection.RIGHT, seconds(timeout)));
    if (seen == null) {
      release(connUuid, settled);
      return List.of();
    }
    return live(takeNext(List.of(list), "results", max, null, settled).popped(), connUuid, true);
  }

  /** Releases held results of {@code shard} ({@link RedisKeys#sessionHeld}) that are settled. */
  void release(String shard, Collection<String> settled) {
    if (!settled.isEmpty()) {
      String held = RedisKeys.sessionHeld(shard);
      run(() -> clients.commands().hdel(held, settled.toArray(String[]::new)));
    }
  }

  /**
   * Decodes taken results, dropping (and counting) invalid and expired ones; {@code own}: taken by
   * take-next.lua, which holds the session-bound ones until settled.
   */
  private List<TakenResult> live(List<Popped> taken, String connUuid, boolean own) {
    List<TakenResult> live = new ArrayList<>();
    for (Popped p : taken) {
      CallPayload result = decode(p.payload(), false);
      if (result == null) {
        continue;
      }
      long pttl =
          p.pttl() == -3
              ? take(RedisKeys.resultTimeout(result.connUuid(), result.msgUuid()))
              : p.pttl();
      if (pttl <= 0) {
        metrics.expiredResult(result.uri(), result.msgUuid());
        LOG.log(
            Level.FINE,
            "conn={0} msg={1} uri={2} result expired before delivery",
            new Object[] {connUuid, result.msgUuid(), result.uri()});
      } else {
        String session = sessionOf(p.session());
        live.add(new TakenResult(result, pttl, session, own && session != null && p.pttl() > 0));
      }
    }
    return live;
  }

  /** The session id of a binding ("<session id> <uri>"), or null for none. */
  private static String sessionOf(String binding) {
    if (binding == null || binding.isEmpty()) {
      return null;
    }
    int space = binding.indexOf(' ');
    return space < 0 ? binding : binding.substring(0, space);
  }

  /** Decodes what adopt.lua returned after its first element. */
  List<TakenResult> adopted(List<?> flat, String shard) {
    List<Popped> popped = new ArrayList<>();
    for (int i = 1; i + 2 < flat.size(); i += 3) {
      popped.add(
          new Popped((String) flat.get(i), (Long) flat.get(i + 1), (String) flat.get(i + 2)));
    }
    return live(popped, shard, false);
  }

  @Override
  public boolean cancel(String uri, String msgUuid) {
    Object r =
        run(
            () ->
                CANCEL.eval(
                    clients.commands(),
                    List.of(
                        RedisKeys.callTimeout(uri, msgUuid), RedisKeys.callCancelled(uri, msgUuid)),
                    List.of()));
    if (Long.valueOf(1).equals(r)) {
      return true;
    }
    // taken already: tell the callee running it, on the pub-sub Redis, in a publication for no
    // client (every Juggler EE server skips it; a client's own PUB can never look like it)
    publish(
        RedisKeys.CANCELS,
        new PubPayload(Uuids.random(), cancelNotice(uri, msgUuid), PubPayload.NOBODY));
    return false;
  }

  static RawJson cancelNotice(String uri, String msgUuid) {
    return RawJson.of(
        "{\"uri\":"
            + RawJson.string(uri).json()
            + ",\"msg_uuid\":"
            + RawJson.string(msgUuid).json()
            + "}");
  }

  @Override
  public AutoCloseable openCancelListener(
      BiConsumer<String, String> onCancel, ThreadFactory threads) {
    CancelListener l = new CancelListener(onCancel);
    l.subscriber = openSubscriber(l, threads);
    l.subscribeOnce();
    return l.subscriber;
  }

  /**
   * Hands the cancel notices of {@link RedisKeys#CANCELS} to a callee. Subscribes when the
   * subscription connection is up (a subscribe before that fails and adds nothing); the subscriber
   * renews it after each reconnect by itself.
   */
  private static final class CancelListener implements EventListener {
    private final BiConsumer<String, String> onCancel;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    volatile EventSubscriber subscriber;

    CancelListener(BiConsumer<String, String> onCancel) {
      this.onCancel = onCancel;
    }

    void subscribeOnce() {
      EventSubscriber s = subscriber;
      if (s != null && s.isConnected() && subscribed.compareAndSet(false, true)) {
        s.subscribe(RedisKeys.CANCELS, false)
            .whenComplete(
                (ok, e) -> {
                  if (e != null) {
                    subscribed.set(false); // the connection dropped meanwhile: next time
                  }
                });
      }
    }

    @Override
    public void onConnectionChange(boolean connected, Throwable cause) {
      if (connected) {
        subscribeOnce();
      }
    }

    @Override
    public void onEvent(String channel, String pattern, PubPayload payload) {
      if (!payload.forNobody() || payload.args() == null) {
        return; // a client's PUB on the channel: never a cancel
      }
      JsonObject o;
      try (JsonReader r = Json.createReader(new StringReader(payload.args().json()))) {
        o = r.readObject();
        onCancel.accept(o.getString("uri"), o.getString("msg_uuid"));
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "invalid cancel notice ignored: {0}", e.toString());
      }
    }
  }

  @Override
  public long queueDepth(String uri) {
    return run(() -> clients.commands().llen(RedisKeys.calls(uri)));
  }

  // ------------------------------------------------------------------ CalleeBroker

  @Override
  public List<List<String>> slotGroups(Collection<String> uris) {
    Map<Integer, List<String>> groups = new LinkedHashMap<>();
    for (String uri : uris) {
      int slot = settings.cluster() ? JedisClusterCRC16.getSlot(RedisKeys.calls(uri)) : 0;
      groups.computeIfAbsent(slot, s -> new ArrayList<>()).add(uri);
    }
    return List.copyOf(groups.values());
  }

  @Override
  public Optional<ReceivedCall> takeCall(List<String> uris, Duration timeout) {
    String[] keys = uris.stream().map(RedisKeys::calls).toArray(String[]::new);
    for (String key : keys) {
      String left = leftover(key);
      if (left != null) {
        return received(takeNextOrKeep(List.of(key), "calls", 0, left));
      }
    }
    KeyValue<String, String> popped = run(() -> clients.blocking().brpop(seconds(timeout), keys));
    if (popped == null) {
      return Optional.empty();
    }
    List<String> from = List.of(popped.getKey());
    return received(takeNextOrKeep(from, "calls", 0, popped.getValue()));
  }

  /** An entry kept from a failed take of {@code list}, or null. */
  private String leftover(String list) {
    Queue<String> q = leftovers.get(list);
    return q == null ? null : q.poll();
  }

  /**
   * {@link #takeNext} with an entry already popped from {@code lists[0]}: if Redis cannot be
   * reached, the entry is kept for the next take of that list instead of being lost.
   */
  private Taken takeNextOrKeep(List<String> lists, String kind, int more, String first) {
    try {
      return takeNext(lists, kind, more, first);
    } catch (BrokerUnavailableException e) {
      leftovers.computeIfAbsent(lists.get(0), k -> new ConcurrentLinkedQueue<>()).add(first);
      throw e;
    }
  }

  @Override
  public Optional<ReceivedCall> pollCall(List<String> uris) {
    List<String> keys = uris.stream().map(RedisKeys::calls).toList();
    return received(takeNext(keys, "calls", 1, null));
  }

  private Optional<ReceivedCall> received(Taken taken) {
    if (taken.popped().isEmpty()) {
      return Optional.empty();
    }
    Popped p = taken.popped().get(0);
    CallPayload call = decode(p.payload(), true);
    if (call == null) {
      return Optional.empty();
    }
    long pttl = p.pttl() == -3 ? take(RedisKeys.callTimeout(call.uri(), call.msgUuid())) : p.pttl();
    long now = System.nanoTime();
    if (pttl == -4) {
      metrics.cancelledCall(call.uri(), call.msgUuid());
      LOG.log(
          Level.FINE,
          "msg={0} uri={1} call cancelled by its client before a callee took it",
          new Object[] {call.msgUuid(), call.uri()});
      return Optional.empty();
    }
    if (pttl <= 0) {
      metrics.expiredCall(call.uri(), call.msgUuid());
      LOG.log(
          Level.FINE,
          "msg={0} uri={1} call expired before a callee took it",
          new Object[] {call.msgUuid(), call.uri()});
      return Optional.empty();
    }
    return Optional.of(new ReceivedCall(call, pttl, now, 1, null, taken.waiting() > 0));
  }

  /** Decodes a popped payload, or counts it as invalid and returns null. */
  private CallPayload decode(String payload, boolean call) {
    try {
      return JsonCodec.decodeCallPayload(payload);
    } catch (InvalidPayloadException e) {
      if (call) {
        metrics.invalidCallPayload();
      } else {
        metrics.invalidResultPayload();
      }
      LOG.log(
          Level.FINE,
          "dropped invalid {0} payload: {1}",
          new Object[] {call ? "call" : "result", e});
      return null;
    }
  }

  @Override
  public void storeResult(CallPayload result, long ttlMillis) {
    register(
        RedisKeys.resultTimeout(result.connUuid(), result.msgUuid()),
        RedisKeys.results(result.connUuid()),
        Math.max(1, ttlMillis),
        JsonCodec.encodeCallPayload(result),
        settings.resultCapacity(),
        false);
  }

  // ------------------------------------------------------------------ at-least-once calls

  @Override
  public Optional<ReceivedCall> claimCall(
      String uri, String owner, Duration lease, Duration timeout) {
    Object r = claim(uri, owner, lease, true);
    if (r == null) {
      String calls = RedisKeys.calls(uri);
      String processing = RedisKeys.processing(uri, owner);
      String moved =
          run(
              () ->
                  clients
                      .blocking()
                      .blmove(
                          calls,
                          processing,
                          ListDirection.RIGHT,
                          ListDirection.LEFT,
                          seconds(timeout)));
      if (moved == null) {
        return Optional.empty();
      }
      // the call is in the owner's list now: if this claim fails, the next one finds it there
      r = claim(uri, owner, lease, false);
    }
    if (!(r instanceof List<?> claimed) || claimed.size() < 3) {
      return Optional.empty();
    }
    String raw = (String) claimed.get(0);
    long pttl = (Long) claimed.get(1);
    int attempt = ((Long) claimed.get(2)).intValue();
    if (pttl == -3) {
      metrics.invalidCallPayload();
      LOG.log(Level.FINE, "uri={0} dropped invalid call payload: {1}", new Object[] {uri, raw});
      return Optional.empty();
    }
    CallPayload call = decode(raw, true);
    if (call == null) {
      return Optional.empty();
    }
    if (pttl <= 0) {
      metrics.expiredCall(call.uri(), call.msgUuid());
      LOG.log(
          Level.FINE,
          "msg={0} uri={1} call expired before a callee took it",
          new Object[] {call.msgUuid(), call.uri()});
      return Optional.empty();
    }
    return Optional.of(new ReceivedCall(call, pttl, System.nanoTime(), attempt, raw));
  }

  /** Runs claim.lua: the reply, or null when there was nothing to claim. */
  private Object claim(String uri, String owner, Duration lease, boolean move) {
    List<String> keys =
        List.of(RedisKeys.processing(uri, owner), RedisKeys.calls(uri), RedisKeys.leases(uri));
    List<String> args =
        List.of(
            owner,
            Long.toString(lease.toMillis()),
            move ? "move" : "",
            RedisKeys.timeoutPrefix(true),
            RedisKeys.attemptsPrefix());
    return run(() -> CLAIM.eval(clients.commands(), keys, args));
  }

  @Override
  public void finishCall(ReceivedCall call, String owner) {
    CallPayload p = call.payload();
    List<String> keys =
        List.of(
            RedisKeys.processing(p.uri(), owner),
            RedisKeys.callTimeout(p.uri(), p.msgUuid()),
            RedisKeys.callAttempts(p.uri(), p.msgUuid()));
    run(() -> ACK.eval(clients.commands(), keys, List.of(call.raw())));
  }

  @Override
  public List<String> renewLeases(String uri, List<String> owners, Duration lease) {
    List<String> args = new ArrayList<>();
    args.add(Long.toString(lease.toMillis()));
    args.addAll(owners);
    Object r = run(() -> LEASE.eval(clients.commands(), List.of(RedisKeys.leases(uri)), args));
    List<String> expired = new ArrayList<>();
    if (r instanceof List<?> l) {
      for (Object o : l) {
        expired.add((String) o);
      }
    }
    return expired;
  }

  @Override
  public long reap(String uri, String owner, boolean force) {
    List<String> keys =
        List.of(RedisKeys.leases(uri), RedisKeys.processing(uri, owner), RedisKeys.calls(uri));
    List<String> args = List.of(owner, RedisKeys.timeoutPrefix(true), force ? "force" : "");
    Object r = run(() -> REAP.eval(clients.commands(), keys, args));
    return r instanceof List<?> l && !l.isEmpty() ? (Long) l.get(0) : 0;
  }

  // ------------------------------------------------------------------ PubSubBroker

  @Override
  public void publish(String channel, PubPayload payload) {
    String data = JsonCodec.encodePubPayload(payload);
    run(() -> clients.pubsub().publish(channel, data));
  }

  @Override
  public PubPayload publishWithHistory(String channel, PubPayload payload, int size, Duration age) {
    String json = JsonCodec.encodePubPayload(payload);
    String prefix = json.substring(0, json.length() - 1);
    long ageMillis = Math.max(1, age.toMillis());
    Object r =
        run(
            () ->
                HISTORY_PUBLISH.eval(
                    clients.pubsub(),
                    List.of(RedisKeys.history(channel), RedisKeys.historyMeta(channel)),
                    List.of(
                        channel,
                        prefix,
                        Integer.toString(size),
                        Long.toString(ageMillis),
                        newEpoch(),
                        Long.toString(Math.max(ageMillis, HISTORY_META_EXTRA.toMillis())))));
    List<?> out = (List<?>) r;
    return payload.at((Long) out.get(0), (String) out.get(1));
  }

  /** How long a history's epoch and last offset outlive its last event, at least. */
  static final Duration HISTORY_META_EXTRA = Duration.ofHours(1);

  private static String newEpoch() {
    return Uuids.random().replace("-", "").substring(0, 16);
  }

  @Override
  public HistoryRead readHistory(
      String channel, long offset, String epoch, int max, Duration age, int maxBytes) {
    Object r =
        run(
            () ->
                HISTORY_READ.eval(
                    clients.pubsub(),
                    List.of(RedisKeys.history(channel), RedisKeys.historyMeta(channel)),
                    List.of(
                        Long.toString(offset),
                        epoch,
                        Integer.toString(max),
                        Long.toString(Math.max(1, age.toMillis())),
                        Integer.toString(maxBytes))));
    List<?> out = (List<?>) r;
    String status = (String) out.get(0);
    long top = (Long) out.get(1);
    String current = ((String) out.get(2)).isEmpty() ? null : (String) out.get(2);
    if (!status.equals("ok")) {
      return new HistoryRead(
          switch (status) {
            case "gone" -> HistoryRead.Status.HISTORY_GONE;
            case "large" -> HistoryRead.Status.TOO_LARGE;
            default -> HistoryRead.Status.EPOCH_CHANGED;
          },
          top,
          current,
          List.of());
    }
    List<PubPayload> events = new ArrayList<>();
    for (int i = 3; i + 1 < out.size(); i += 2) {
      long at = Long.parseLong((String) out.get(i));
      try {
        events.add(JsonCodec.decodePubPayload(out.get(i + 1) + "}").at(at, current));
      } catch (InvalidPayloadException e) {
        metrics.invalidEventPayload();
      }
    }
    return new HistoryRead(HistoryRead.Status.RECOVERED, top, current, events);
  }

  @Override
  public EventSubscriber openSubscriber(EventListener listener, ThreadFactory threads) {
    return new RedisEventSubscriber(
        clients.pubsubNodes(), clients.pubsubConfig(), listener, metrics, threads);
  }

  // ------------------------------------------------------------------ internals

  /**
   * Runs register.lua; {@code unique}: refuse when the expiry key exists ({@link
   * DuplicateCallException}).
   */
  private void register(
      String expiryKey, String listKey, long ttl, String payload, int cap, boolean unique) {
    List<String> keys = List.of(expiryKey, listKey);
    List<String> args =
        List.of(Long.toString(ttl), payload, Integer.toString(cap), unique ? "nx" : "");
    try {
      try {
        run(() -> registrations.eval(keys, args));
      } catch (BrokerUnavailableException e) {
        // Typically a pooled connection that died with a Redis restart; the pool has dropped it.
        // Retrying is safe: if the first attempt did run, the retry finds its expiry key (a
        // "duplicate", which here means done) or, without "nx", the duplicate entry finds its
        // expiry key already taken when popped and is dropped as expired.
        try {
          run(() -> registrations.eval(keys, args));
        } catch (BrokerException retry) {
          if (!unique || !isDuplicate(retry)) {
            throw retry;
          }
        }
      }
    } catch (BrokerException e) {
      if (isDuplicate(e)) {
        throw new DuplicateCallException(e.getCause());
      }
      if (e.getMessage() != null && e.getMessage().contains(CapacityExceededException.MESSAGE)) {
        throw new CapacityExceededException(e.getCause());
      }
      throw e;
    }
  }

  private static boolean isDuplicate(BrokerException e) {
    return !(e instanceof BrokerUnavailableException)
        && e.getMessage() != null
        && e.getMessage().contains("duplicate: a call with this uuid is pending");
  }

  private long take(String expiryKey) {
    Object r;
    try {
      r = run(() -> TAKE.eval(clients.commands(), List.of(expiryKey), List.of()));
    } catch (BrokerUnavailableException e) {
      // the entry is already popped: one more try on a fresh connection before it is lost (if
      // the first attempt did run, this one reads -2 and the entry counts as expired)
      r = run(() -> TAKE.eval(clients.commands(), List.of(expiryKey), List.of()));
    }
    return r instanceof Long l ? l : -2;
  }

  /**
   * Runs take-next.lua: takes the expiry key of {@code first} (already popped from the first of
   * {@code lists}) if given, and pops up to {@code more} entries with theirs, in one round trip.
   */
  private Taken takeNext(List<String> lists, String kind, int more, String first) {
    return takeNext(lists, kind, more, first, List.of());
  }

  /** {@code settled}: held results of the (one) results list to release first. */
  private Taken takeNext(
      List<String> lists, String kind, int more, String first, Collection<String> settled) {
    boolean calls = kind.equals("calls");
    String prefix = RedisKeys.timeoutPrefix(calls);
    String bindings = calls ? RedisKeys.cancelledPrefix() : RedisKeys.sessionCallsPrefix();
    String held = calls ? "" : RedisKeys.sessionHeldPrefix();
    List<String> args = new ArrayList<>(6 + settled.size());
    Collections.addAll(args, kind, Integer.toString(more), prefix, bindings, held);
    args.add(first == null ? "" : first);
    args.addAll(settled);
    Object r;
    try {
      r = run(() -> TAKE_NEXT.eval(clients.commands(), lists, args));
    } catch (BrokerUnavailableException e) {
      if (first == null) {
        throw e;
      }
      // the first entry is already popped: one more try before it is lost (see take())
      r = run(() -> TAKE_NEXT.eval(clients.commands(), lists, args));
    }
    List<Popped> out = new ArrayList<>();
    long waiting = 0;
    if (r instanceof List<?> flat) {
      for (int i = 0; i + 2 < flat.size(); i += 3) {
        out.add(new Popped((String) flat.get(i), (Long) flat.get(i + 1), (String) flat.get(i + 2)));
      }
      if (flat.size() % 3 == 1) {
        waiting = (Long) flat.get(flat.size() - 1);
      }
    }
    return new Taken(out, waiting);
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private <T> T run(Supplier<T> op) {
    return clients.run(op);
  }

  @Override
  public void close() {
    if (ownsClients) {
      clients.close();
    }
  }
}
