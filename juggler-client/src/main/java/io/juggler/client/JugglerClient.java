package io.juggler.client;

import io.juggler.message.Ack;
import io.juggler.message.Call;
import io.juggler.message.Evnt;
import io.juggler.message.JsonCodec;
import io.juggler.message.Message;
import io.juggler.message.MessageType;
import io.juggler.message.Nack;
import io.juggler.message.Protocol;
import io.juggler.message.Pub;
import io.juggler.message.RawJson;
import io.juggler.message.Res;
import io.juggler.message.SessionAck;
import io.juggler.message.Sub;
import io.juggler.message.Unsb;
import io.juggler.message.Uuids;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One juggler.0 connection: calls, publications and subscriptions over a {@code
 * java.net.http.WebSocket}.
 *
 * <p><b>Requests.</b> {@link #call} completes with the RES args, or exceptionally with {@link
 * CallRejectedException} (NACK), {@link CallExpiredException} (no answer within the timeout: a
 * local timer started when the call was made, the reference client's EXP) or {@link
 * ConnectionClosedException}: exactly one of them per call; a RES arriving after the expiry is
 * ignored. A RES that carries an error object ({@code {"error":{"message":...}}}, spec section 5)
 * is a normal result: the protocol cannot tell it from a successful one. {@link #publish} completes
 * on ACK. Publications, SUB and UNSB have no timeout of their own: the server answers each or
 * closes the connection.
 *
 * <p><b>Order.</b> Messages are written in the order the methods were called (one at a time, as the
 * JDK websocket requires). RES and EVNT may arrive before their ACK (spec section 1.4); both are
 * handled whenever they come.
 *
 * <p><b>End.</b> When the connection ends (server close, network error, {@link #close()} or {@link
 * #abort()}), every request still waiting fails with one {@link ConnectionClosedException} carrying
 * the close code and reason, nothing is left hanging, and later requests fail at once with it.
 * There is no reconnection: open a new client.
 *
 * <p><b>Threads.</b> All methods are thread-safe and non-blocking except {@link #connect} and
 * {@link #close()}. Futures complete and event handlers run on the {@linkplain
 * ClientOptions#callbackExecutor() callback executor}; one connection's events reach their handlers
 * one at a time, in arrival order. {@link ConnectionListener#onMessage} runs on the receiving
 * thread, {@link ConnectionListener#onClose} on the thread that noticed the end.
 */
public final class JugglerClient implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(JugglerClient.class.getName());

  private static final ScheduledThreadPoolExecutor TIMERS = timers();

  private final URI uri;
  private final ClientOptions options;
  private final ConnectionListener listener;
  private final Executor callbacks;
  private final SerialExecutor events;
  private final Map<String, RequestFuture<?>> pending = new ConcurrentHashMap<>();
  private final Map<String, SubscriptionGroup> subscriptions = new ConcurrentHashMap<>();
  private final Object subscriptionLock = new Object();
  private final Queue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private final AtomicReference<ConnectionClosedException> closeCause = new AtomicReference<>();
  private final CompletableFuture<ConnectionClosedException> terminated = new CompletableFuture<>();
  private final CompletableFuture<SessionAck> session = new CompletableFuture<>();

  /** The calls taken over by {@link #resume()}, until the session ACK says whether they come. */
  private final List<RequestFuture<?>> adoptedCalls = new CopyOnWriteArrayList<>();

  /** The position of the last event of each channel subscription with history, by group key. */
  private final Map<String, Sub.Position> positions = new ConcurrentHashMap<>();

  /** Subscriptions whose SUB asked to recover, by the SUB's uuid, until its ACK. */
  private final Map<String, Subscription> recovering = new ConcurrentHashMap<>();

  private volatile WebSocket ws;

  private JugglerClient(URI uri, ClientOptions options) {
    this.uri = uri;
    this.options = options;
    this.listener = options.listener();
    Executor executor = options.callbackExecutor();
    this.callbacks = executor == null ? SharedPool.EXECUTOR : executor;
    this.events = new SerialExecutor(callbacks);
  }

  // ------------------------------------------------------------------ connecting

  /** {@link #connect(URI, ClientOptions)} with the default options. */
  public static JugglerClient connect(URI uri) {
    return connect(uri, ClientOptions.defaults());
  }

  /**
   * Opens a connection offering the options' subprotocols (by default {@code juggler.0}) and
   * returns once the handshake is complete.
   *
   * @throws JugglerClientException if the connection cannot be opened within the connect timeout
   */
  public static JugglerClient connect(URI uri, ClientOptions options) {
    CompletableFuture<JugglerClient> f = connectAsync(uri, options);
    try {
      return f.get(options.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new JugglerClientException("cannot connect to " + uri + ": " + describe(cause), cause);
    } catch (TimeoutException e) {
      f.thenAccept(JugglerClient::abort); // a handshake completing later is not left open
      throw new JugglerClientException(
          "cannot connect to " + uri + ": no handshake within " + options.connectTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.thenAccept(JugglerClient::abort);
      throw new JugglerClientException("interrupted while connecting to " + uri, e);
    }
  }

  /** Opens a connection; the future fails with the handshake's error. */
  public static CompletableFuture<JugglerClient> connectAsync(URI uri, ClientOptions options) {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(options, "options");
    return open(new JugglerClient(uri, options));
  }

  /** Opens {@code client}'s websocket. */
  private static CompletableFuture<JugglerClient> open(JugglerClient client) {
    URI uri = client.uri;
    ClientOptions options = client.options;
    HttpClient http = options.httpClient() == null ? SharedHttp.CLIENT : options.httpClient();
    WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(options.connectTimeout());
    CompletableFuture<WebSocket> handshake;
    try {
      List<String> protocols = options.subprotocols();
      builder.subprotocols(
          protocols.get(0), protocols.subList(1, protocols.size()).toArray(String[]::new));
      for (Map.Entry<String, String> h : options.headers()) {
        builder.header(h.getKey(), h.getValue());
      }
      handshake = builder.buildAsync(uri, client.new Receiver());
    } catch (IllegalArgumentException e) {
      // a restricted header, a URI that is not ws:// or wss://
      handshake = CompletableFuture.failedFuture(e);
    }
    return handshake.thenApply(
        socket -> {
          client.ws = socket;
          LOG.fine(() -> "Connected to " + uri + " with " + socket.getSubprotocol());
          return client;
        });
  }

  public URI uri() {
    return uri;
  }

  /** The subprotocol the server selected ({@code juggler.0}), or empty if it selected none. */
  public String subprotocol() {
    return ws.getSubprotocol();
  }

  /** True until the connection ends. */
  public boolean isOpen() {
    return closeCause.get() == null;
  }

  /** Requests sent and not answered yet (calls, publications, SUB and UNSB). */
  public int pendingRequests() {
    return pending.size();
  }

  /**
   * The session the server gave this connection, when {@link ClientOptions.Builder#newSession} or
   * {@link ClientOptions.Builder#resume} asked for one: completes with the server's {@link
   * SessionAck} (its token, whether the session was resumed, or why a token was refused), which
   * comes before any other message. Never completes otherwise.
   */
  public CompletableFuture<SessionAck> session() {
    return session;
  }

  /** Completes (normally) with the cause once the connection has ended, for whatever reason. */
  public CompletableFuture<ConnectionClosedException> closeFuture() {
    return terminated.copy();
  }

  // ------------------------------------------------------------------ calls

  /** Calls {@code uri} with {@code args} and the default call timeout. */
  public RequestFuture<RawJson> call(String uri, RawJson args) {
    return call(uri, args, null);
  }

  /**
   * Calls {@code uri} with {@code args} (trusted to be valid JSON, as {@link RawJson} is).
   *
   * @param timeout sent on the wire and used for the local expiry; {@code null}, zero or negative
   *     means the default call timeout (as the Go client does)
   */
  public RequestFuture<RawJson> call(String uri, RawJson args, Duration timeout) {
    Objects.requireNonNull(uri, "uri");
    Duration t =
        timeout == null || timeout.isZero() || timeout.isNegative()
            ? options.defaultCallTimeout()
            : timeout;
    String uuid = Uuids.random();
    RequestFuture<RawJson> f = new RequestFuture<>(uuid, MessageType.CALL, uri);
    String text =
        JsonCodec.encode(new Call(uuid, uri, t.toNanos(), args == null ? RawJson.NULL : args));
    if (register(f)) {
      f.deadlineNanos = System.nanoTime() + t.toNanos();
      f.timeout = t;
      f.timer = TIMERS.schedule(() -> expire(f, t), t.toNanos(), TimeUnit.NANOSECONDS);
      f.onCancel = () -> cancelCall(f);
      enqueue(new Outgoing(text, f, null));
    }
    return f;
  }

  /** The token of this connection's session, or null (none asked for, or not given yet). */
  private String sessionToken() {
    SessionAck s = session.getNow(null);
    return s == null ? null : s.token();
  }

  /**
   * Opens a new connection that resumes this one's session (issue 23), once this one has ended: the
   * calls still waiting here move to it and get their results there (those that came while no
   * connection was open included), and every subscription moves to it, channels with a history
   * recovering the events missed since the last one received (the {@link ConnectionListener} sees
   * each renewed SUB's ACK, with {@link Ack#recovery()}). The {@link RequestFuture}s and {@link
   * Subscription}s the application holds stay valid. If the server cannot resume the session (its
   * window passed), the moved calls fail with {@link ConnectionClosedException}.
   *
   * <p>Needs a session ({@link ClientOptions.Builder#newSession}); typical use is in a loop with
   * back-off when {@link #closeFuture()} completes. The connection is made with this client's
   * options.
   *
   * @throws IllegalStateException if this connection has no session, or has not ended
   * @throws JugglerClientException if the new connection cannot be opened (try again later: the
   *     calls stay with this client meanwhile)
   */
  public JugglerClient resume() {
    String token = sessionToken();
    if (token == null) {
      throw new IllegalStateException(
          "no session to resume: connect with ClientOptions.builder().newSession()");
    }
    if (isOpen()) {
      throw new IllegalStateException("the connection is still open");
    }
    JugglerClient next = new JugglerClient(uri, options.toBuilder().resume(token).build());
    List<RequestFuture<?>> moved = new ArrayList<>();
    for (RequestFuture<?> f : pending.values()) {
      if (f.type() == MessageType.CALL && pending.remove(f.uuid(), f)) {
        moved.add(f);
        next.adopt(f);
      }
    }
    next.adoptedCalls.addAll(moved);
    try {
      CompletableFuture<JugglerClient> open = open(next);
      open.get(options.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      next.abort();
      for (RequestFuture<?> f : moved) {
        if (next.pending.remove(f.uuid(), f) && !f.isDone()) {
          pending.put(f.uuid(), f); // back here for the next attempt
        }
      }
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new JugglerClientException("cannot resume at " + uri + ": " + describe(cause), cause);
    }
    synchronized (subscriptionLock) {
      for (Map.Entry<String, SubscriptionGroup> g : subscriptions.entrySet()) {
        SubscriptionGroup group = g.getValue();
        if (group.members.isEmpty()) {
          continue;
        }
        Subscription first = group.members.get(0);
        group.members.forEach(s -> s.movedTo(next));
        next.renew(g.getKey(), group, first.channel(), first.pattern(), positions.get(g.getKey()));
      }
      subscriptions.clear();
    }
    return next;
  }

  /** Takes over a call of the connection this one resumes: its RES comes here. */
  private void adopt(RequestFuture<?> f) {
    pending.put(f.uuid(), f);
    f.cancelTimer();
    @SuppressWarnings("unchecked")
    RequestFuture<RawJson> call = (RequestFuture<RawJson>) f;
    long left = Math.max(0, f.deadlineNanos - System.nanoTime());
    Duration timeout = f.timeout;
    f.timer = TIMERS.schedule(() -> expire(call, timeout), left, TimeUnit.NANOSECONDS);
    f.onCancel = () -> cancelCall(call);
  }

  /** Renews a subscription moved from the connection this one resumes (from its position). */
  private void renew(
      String key, SubscriptionGroup moved, String channel, boolean pattern, Sub.Position since) {
    SubscriptionGroup group = new SubscriptionGroup();
    group.members.addAll(moved.members);
    subscriptions.put(key, group);
    if (since != null) {
      positions.put(key, since);
    }
    group.ack = send(new Sub(Uuids.random(), channel, pattern, pattern ? null : since));
  }

  /** The CALL {@code f} was cancelled by the application: the server is told, its RES ignored. */
  private void cancelCall(RequestFuture<RawJson> f) {
    pending.remove(f.uuid(), f);
    if (closeCause.get() == null) {
      send(Unsb.cancel(Uuids.random(), f.uuid())); // ACK or NACK 404 (answered already): either
    }
  }

  /**
   * Calls {@code uri} with arguments given as JSON text.
   *
   * @throws IllegalArgumentException if {@code argsJson} is not one JSON value
   */
  public RequestFuture<RawJson> call(String uri, String argsJson, Duration timeout) {
    return call(uri, JsonArgs.parse(argsJson), timeout);
  }

  /** Calls {@code uri} with a JSON-P value; {@link JsonArgs#toValue} turns the result back. */
  public RequestFuture<RawJson> call(String uri, JsonValue args, Duration timeout) {
    return call(uri, JsonArgs.of(args), timeout);
  }

  // ------------------------------------------------------------------ pub-sub

  /** Publishes {@code args} on {@code channel}; completes on ACK. */
  public RequestFuture<Void> publish(String channel, RawJson args) {
    return publish(channel, args, true);
  }

  /**
   * Publishes {@code args} on {@code channel}; with {@code echo} false this connection does not
   * receive the event itself, even when it is subscribed to the channel (a Juggler EE server
   * honours it; the reference's servers deliver it anyway). Completes on ACK.
   */
  public RequestFuture<Void> publish(String channel, RawJson args, boolean echo) {
    Objects.requireNonNull(channel, "channel");
    return send(new Pub(Uuids.random(), channel, args == null ? RawJson.NULL : args, echo));
  }

  /**
   * Publishes arguments given as JSON text.
   *
   * @throws IllegalArgumentException if {@code argsJson} is not one JSON value
   */
  public RequestFuture<Void> publish(String channel, String argsJson) {
    return publish(channel, JsonArgs.parse(argsJson));
  }

  public RequestFuture<Void> publish(String channel, JsonValue args) {
    return publish(channel, JsonArgs.of(args));
  }

  /**
   * Subscribes {@code handler} to a channel, or to a Redis glob pattern ({@code news.*}) when
   * {@code pattern} is true. Events published after the server processed the SUB reach the handler,
   * possibly before {@link Subscription#acknowledged()} completes. A connection subscribed both to
   * a channel and to a pattern matching it gets each event twice, once per subscription (spec
   * section 1.4).
   */
  public Subscription subscribe(String channel, boolean pattern, Consumer<Event> handler) {
    return subscribe(channel, pattern, null, handler);
  }

  /**
   * Subscribes {@code handler} to {@code channel} and asks for the channel's events after {@code
   * since} first (a Juggler EE server with history on the channel: issue 23): keep the {@link
   * Event#position()} of the last event you handled, and pass it here when you subscribe again on a
   * new connection. {@link Subscription#recovery()} says whether every missed event came (they
   * arrive before the live ones, in order) or why not (then reload what the events build up).
   *
   * @throws IllegalStateException if this client is already subscribed to the channel (recovery is
   *     asked by the first subscription)
   */
  public Subscription subscribe(String channel, Sub.Position since, Consumer<Event> handler) {
    Objects.requireNonNull(since, "since");
    return subscribe(channel, false, since, handler);
  }

  private Subscription subscribe(
      String channel, boolean pattern, Sub.Position since, Consumer<Event> handler) {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(handler, "handler");
    Subscription s = new Subscription(this, channel, pattern, handler);
    synchronized (subscriptionLock) {
      String key = key(channel, pattern);
      SubscriptionGroup group = subscriptions.get(key);
      if (group == null) {
        group = new SubscriptionGroup();
        group.members.add(s);
        subscriptions.put(key, group);
        Sub sub = new Sub(Uuids.random(), channel, pattern, since);
        if (since != null) {
          recovering.put(sub.uuid(), s);
        }
        group.ack = send(sub);
        SubscriptionGroup created = group;
        group.ack.whenComplete(
            (ok, error) -> {
              if (error instanceof RequestRejectedException) {
                subscriptions.remove(key, created);
              }
            });
      } else if (since != null) {
        throw new IllegalStateException(
            "already subscribed to " + channel + ": recover with the first subscription");
      } else {
        group.members.add(s);
      }
      s.acknowledged(group.ack.copy());
    }
    return s;
  }

  CompletableFuture<Void> unsubscribe(Subscription s) {
    synchronized (subscriptionLock) {
      String key = key(s.channel(), s.pattern());
      SubscriptionGroup group = subscriptions.get(key);
      if (group == null || !group.members.remove(s) || !group.members.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      subscriptions.remove(key);
      if (!isOpen()) {
        return CompletableFuture.completedFuture(null);
      }
      return send(new Unsb(Uuids.random(), s.channel(), s.pattern()));
    }
  }

  /**
   * Sends a PUB, SUB or UNSB exactly as given, for tools that speak the protocol directly (the
   * CLI): the future completes on its ACK or NACK. A SUB sent this way routes no events to handlers
   * (the {@link ConnectionListener} still sees them) and an UNSB ends the server-side subscription
   * whatever {@link Subscription}s share it.
   *
   * @param request a message with a fresh uuid ({@link Uuids#random()})
   * @throws IllegalArgumentException for a CALL (use {@link #call}) or a server message
   */
  public RequestFuture<Void> send(Message request) {
    String target;
    if (request instanceof Pub p) {
      target = p.channel();
    } else if (request instanceof Sub s) {
      target = s.channel();
    } else if (request instanceof Unsb u) {
      target = u.channel();
    } else {
      throw new IllegalArgumentException("not a PUB, SUB or UNSB: " + request.type());
    }
    RequestFuture<Void> f = new RequestFuture<>(request.uuid(), request.type(), target);
    if (register(f)) {
      enqueue(new Outgoing(JsonCodec.encode(request), f, null));
    }
    return f;
  }

  private static String key(String channel, boolean pattern) {
    return (pattern ? "p:" : "c:") + channel;
  }

  private static final class SubscriptionGroup {
    final List<Subscription> members = new CopyOnWriteArrayList<>();
    RequestFuture<Void> ack;
  }

  // ------------------------------------------------------------------ raw frames

  /**
   * Sends {@code text} as one text frame, as is: for tools and protocol tests. Whatever the server
   * answers reaches the {@link ConnectionListener} only.
   */
  public CompletableFuture<Void> sendText(String text) {
    Objects.requireNonNull(text, "text");
    CompletableFuture<Void> sent = new CompletableFuture<>();
    ConnectionClosedException cause = closeCause.get();
    if (cause != null) {
      sent.completeExceptionally(cause);
    } else {
      enqueue(new Outgoing(text, null, sent));
    }
    return sent;
  }

  // ------------------------------------------------------------------ closing

  /**
   * Fails every waiting request with a {@link ConnectionClosedException} ({@code byClient}), then
   * sends a close frame with {@code code} and {@code reason} (at most 123 bytes). The returned
   * future completes when the server has answered the close, or fails with its timeout: then call
   * {@link #abort()}.
   */
  public CompletableFuture<Void> closeAsync(int code, String reason) {
    ended(new ConnectionClosedException(code, reason, true));
    WebSocket socket = ws;
    CompletableFuture<Void> done = terminated.thenApply(c -> null);
    if (socket != null && !socket.isOutputClosed()) {
      CompletableFuture<WebSocket> sent;
      try {
        sent = socket.sendClose(code, reason == null ? "" : reason);
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete(
          (w, error) -> {
            if (error != null) {
              abort();
            }
          });
    }
    return done.orTimeout(options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Closes normally (1000) and waits up to the close timeout for the server's answer; aborts the
   * connection if it does not come. Idempotent.
   */
  @Override
  public void close() {
    try {
      closeAsync(Protocol.CLOSE_NORMAL, "").join();
    } catch (CompletionException e) {
      abort();
    }
  }

  /** Drops the connection at once, without a close frame; waiting requests fail. Idempotent. */
  public void abort() {
    ended(new ConnectionClosedException(ConnectionClosedException.ABNORMAL, "aborted", true));
    WebSocket socket = ws;
    if (socket != null) {
      socket.abort();
    }
    terminated.complete(closeCause.get());
  }

  // ------------------------------------------------------------------ internals

  /** Adds {@code f} to the pending requests, or fails it at once if the connection has ended. */
  private boolean register(RequestFuture<?> f) {
    ConnectionClosedException cause = closeCause.get();
    if (cause == null) {
      pending.put(f.uuid(), f);
      cause = closeCause.get();
      if (cause == null) {
        return true;
      }
      // ended concurrently: whoever removes it fails it
      if (!pending.remove(f.uuid(), f)) {
        return false;
      }
    }
    f.completeExceptionally(cause);
    return false;
  }

  private void expire(RequestFuture<RawJson> f, Duration timeout) {
    if (pending.remove(f.uuid(), f)) {
      fail(f, new CallExpiredException(f.uuid(), f.target(), timeout));
    }
  }

  @SuppressWarnings("unchecked")
  private void succeed(RequestFuture<?> f, Object value) {
    f.cancelTimer();
    RequestFuture<Object> target = (RequestFuture<Object>) f;
    run(() -> target.complete(value));
  }

  private void fail(RequestFuture<?> f, Throwable error) {
    f.cancelTimer();
    run(() -> f.completeExceptionally(error));
  }

  private void run(Runnable task) {
    try {
      callbacks.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  private record Outgoing(String text, RequestFuture<?> request, CompletableFuture<Void> sent) {}

  private void enqueue(Outgoing o) {
    outbox.add(o);
    drain();
  }

  /**
   * Writes queued frames one at a time: the JDK websocket refuses a send while the previous one is
   * incomplete. Sends that complete immediately are handled in this loop, not by recursion.
   */
  private void drain() {
    while (sending.compareAndSet(false, true)) {
      Outgoing o = outbox.poll();
      if (o == null) {
        sending.set(false);
        if (outbox.isEmpty()) {
          return;
        }
        continue;
      }
      CompletableFuture<WebSocket> sent = write(o.text());
      if (sent.isDone()) {
        afterSend(o, sent.isCompletedExceptionally() ? failure(sent) : null);
        sending.set(false);
        continue;
      }
      sent.whenComplete(
          (w, error) -> {
            afterSend(o, error);
            sending.set(false);
            drain();
          });
      return;
    }
  }

  private CompletableFuture<WebSocket> write(String text) {
    ConnectionClosedException cause = closeCause.get();
    if (cause != null) {
      return CompletableFuture.failedFuture(cause);
    }
    try {
      return ws.sendText(text, true);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.join();
      return null;
    } catch (CompletionException | CancellationException e) {
      return e.getCause() == null ? e : e.getCause();
    }
  }

  private void afterSend(Outgoing o, Throwable failure) {
    if (failure == null) {
      if (o.sent() != null) {
        o.sent().complete(null);
      }
      return;
    }
    Throwable error =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    ConnectionClosedException cause =
        error instanceof ConnectionClosedException c ? c : closeCause.get();
    if (cause == null) {
      // The output broke; the input usually reports why (a close frame with its code) right
      // after. Fail this request now, and end the connection ourselves if nothing comes.
      LOG.log(Level.FINE, error, () -> "Send to " + uri + " failed");
      ConnectionClosedException sendFailed =
          new ConnectionClosedException(
              ConnectionClosedException.ABNORMAL, "send failed: " + describe(error), false);
      cause = sendFailed;
      TIMERS.schedule(
          () -> {
            if (isOpen()) {
              ended(sendFailed);
              WebSocket socket = ws;
              if (socket != null) {
                socket.abort();
              }
              terminated.complete(closeCause.get());
            }
          },
          1,
          TimeUnit.SECONDS);
    }
    if (o.request() != null && pending.remove(o.request().uuid(), o.request())) {
      fail(o.request(), cause);
    }
    if (o.sent() != null) {
      o.sent().completeExceptionally(cause);
    }
  }

  /** The connection has ended: fail everything that waits, once. */
  private void ended(ConnectionClosedException cause) {
    if (!closeCause.compareAndSet(null, cause)) {
      return;
    }
    LOG.fine(() -> uri + ": " + cause.getMessage());
    // with a session, a connection lost (not closed by the application) keeps its calls: their
    // results come to the client that resumes it (resume()), or they expire
    boolean keepCalls = !cause.byClient() && sessionToken() != null;
    for (RequestFuture<?> f : pending.values()) {
      if (keepCalls && f.type() == MessageType.CALL) {
        continue;
      }
      if (pending.remove(f.uuid(), f)) {
        fail(f, cause);
      }
    }
    Outgoing o;
    while ((o = outbox.poll()) != null) {
      if (o.sent() != null) {
        o.sent().completeExceptionally(cause);
      }
    }
    try {
      listener.onClose(cause);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ConnectionListener.onClose failed", e);
    }
  }

  private void received(String text) {
    Message m;
    try {
      m = ServerMessages.decode(text);
    } catch (IllegalArgumentException e) {
      LOG.fine(() -> uri + ": ignoring invalid frame: " + e.getMessage());
      try {
        listener.onInvalidFrame(text, e);
      } catch (RuntimeException le) {
        LOG.log(Level.WARNING, "ConnectionListener.onInvalidFrame failed", le);
      }
      return;
    }
    try {
      listener.onMessage(m);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ConnectionListener.onMessage failed", e);
    }
    if (m instanceof Res res) {
      RequestFuture<?> f = pending.get(res.forUuid());
      if (f != null && f.type() == MessageType.CALL && pending.remove(res.forUuid(), f)) {
        succeed(f, res.args());
      }
    } else if (m instanceof Ack ack) {
      Subscription recovered = recovering.remove(ack.forUuid());
      if (recovered != null) {
        recovered.recovered(ack.recovery());
      }
      RequestFuture<?> f = pending.get(ack.forUuid());
      if (f != null) {
        f.markAcknowledged();
        if (f.type() != MessageType.CALL && pending.remove(ack.forUuid(), f)) {
          succeed(f, null);
        }
      }
    } else if (m instanceof Nack nack) {
      RequestFuture<?> f = pending.get(nack.forUuid());
      if (f != null && pending.remove(nack.forUuid(), f)) {
        fail(
            f,
            f.type() == MessageType.CALL
                ? new CallRejectedException(f.uuid(), f.target(), nack.code(), nack.message())
                : new RequestRejectedException(f.uuid(), f.type(), nack.code(), nack.message()));
      }
    } else if (m instanceof Evnt evnt) {
      route(evnt);
    } else if (m instanceof SessionAck s) {
      session.complete(s);
      if (!s.resumed()) {
        // the calls taken over from the connection this one was to resume will not be answered
        ConnectionClosedException lost =
            new ConnectionClosedException(
                ConnectionClosedException.ABNORMAL,
                "session not resumed: " + (s.refused() == null ? "new session" : s.refused()),
                false);
        for (RequestFuture<?> f : adoptedCalls) {
          if (pending.remove(f.uuid(), f)) {
            fail(f, lost);
          }
        }
      }
      adoptedCalls.clear();
    }
  }

  private void route(Evnt evnt) {
    boolean viaPattern = evnt.pattern() != null;
    SubscriptionGroup group =
        subscriptions.get(
            key(
                viaPattern ? evnt.pattern() : evnt.channel() == null ? "" : evnt.channel(),
                viaPattern));
    if (group == null) {
      return;
    }
    if (!viaPattern && evnt.epoch() != null) {
      positions.put(key(evnt.channel(), false), new Sub.Position(evnt.offset(), evnt.epoch()));
    }
    Event event =
        new Event(
            evnt.uuid(),
            evnt.forUuid(),
            evnt.channel(),
            evnt.pattern(),
            evnt.args(),
            evnt.offset(),
            evnt.epoch());
    for (Subscription s : group.members) {
      events.execute(() -> s.deliver(event));
    }
  }

  /** Reassembles fragmented text messages and asks for one message at a time. */
  private final class Receiver implements WebSocket.Listener {
    private StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      try {
        if (!last) {
          partial.append(data);
        } else if (partial.length() == 0) {
          received(data.toString());
        } else {
          partial.append(data);
          String text = partial.toString();
          partial = new StringBuilder();
          received(text);
        }
      } finally {
        socket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      if (last) {
        listener.onInvalidFrame(
            "", new IllegalArgumentException("binary frame from the server (ignored)"));
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
      ended(new ConnectionClosedException(code, reason, false));
      terminated.complete(closeCause.get());
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      ended(
          new ConnectionClosedException(
              ConnectionClosedException.ABNORMAL, describe(error), false));
      terminated.complete(closeCause.get());
    }
  }

  static String describe(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof WebSocketHandshakeException h && h.getResponse() != null) {
      return refusal(h.getResponse());
    }
    String message = c.getMessage();
    if (message == null && c.getCause() != null) {
      message = c.getCause().toString();
    }
    return c.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** A refused handshake in words: its status and, for a 401, the server's reason. */
  private static String refusal(HttpResponse<?> response) {
    int status = response.statusCode();
    if (status != 401) {
      return "the server answered HTTP " + status;
    }
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    Matcher m = DESCRIPTION.matcher(challenge);
    return "HTTP 401, not authenticated"
        + (m.find() ? ": " + m.group(1) : " (the server requires a token: --token)");
  }

  private static final Pattern DESCRIPTION = Pattern.compile("error_description=\"([^\"]*)\"");

  @Override
  public String toString() {
    ConnectionClosedException cause = closeCause.get();
    return "JugglerClient[" + uri + (cause == null ? ", open" : ", " + cause.getMessage()) + "]";
  }

  // ------------------------------------------------------------------ shared resources

  private static ScheduledThreadPoolExecutor timers() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(1, daemon("juggler-client-timer"));
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static final class SharedHttp {
    static final HttpClient CLIENT = HttpClient.newHttpClient();
  }

  private static final class SharedPool {
    static final ExecutorService EXECUTOR =
        Executors.newCachedThreadPool(daemon("juggler-client-callback"));
  }
}
