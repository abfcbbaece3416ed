package io.juggler.server;

import io.juggler.auth.Identity;
import io.juggler.message.JsonCodec;
import io.juggler.message.Message;
import io.juggler.message.MessageType;
import io.juggler.message.Protocol;
import io.juggler.message.Utf8;
import io.juggler.message.Uuids;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One juggler connection: its websocket session, the message types it may send, its outbound queue,
 * its request rate bucket and its keep-alive. What it waits for (pending calls, subscriptions) is
 * kept by the routers, each in its own index ({@link ResultRouter}, {@link EventRouter}), so that
 * every piece of state has one owner.
 *
 * <p><b>Outbound queue.</b> {@link #send} never blocks: it appends the encoded message to a queue
 * drained by one asynchronous write at a time, each bounded by {@code
 * juggler.server.write-timeout}. When more than {@code juggler.server.outbound-queue} messages, or
 * more than {@code juggler.server.outbound-bytes} characters of encoded JSON (about bytes; the
 * message being written included), are waiting, the reader is too slow: the connection is closed
 * with 1008 and the queued messages are dropped, so it never stalls the pumps or other connections
 * and its memory is bounded whatever the message sizes. A single message larger than the byte bound
 * is still written when nothing else waits. A failed write closes it with 1011. Thread-safe.
 */
public final class Connection {

  private static final Logger LOG = Logger.getLogger(Connection.class.getName());

  /** What a close frame's reason may hold, in bytes. */
  static final int MAX_CLOSE_REASON_BYTES = 123;

  private final String id;
  private final Session session;
  private final Set<MessageType> allowed;
  private final int maxQueued;
  private final long maxQueuedBytes;
  private final TokenBucket rateBucket;
  private final ServerCounters counters;
  private final Executor closer;
  private final Instant connectedAt = Instant.now();
  private final Peer peer;
  private final Queue<String> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private volatile int writingChars;
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean closeSent = new AtomicBoolean();
  private volatile String closeReason = "";
  private final AtomicLong messagesIn = new AtomicLong();
  private final AtomicLong messagesOut = new AtomicLong();
  private volatile int closeCode;
  private volatile long writeStartedNanos;
  private volatile long heardNanos = System.nanoTime();
  private volatile long pingedNanos;
  private volatile String sessionId;

  /** What bounds a connection's outbound queue. */
  record Limits(int maxQueued, long maxQueuedBytes) {}

  /**
   * Who is at the other end, as the handshake showed it.
   *
   * @param address the client's address (the TCP peer's, or one a trusted proxy forwarded), or null
   *     when the container did not tell
   * @param userAgent the {@code User-Agent} header, or null
   * @param identity who the client proved to be
   */
  record Peer(String address, String userAgent, Identity identity) {

    /** An anonymous client whose address and agent are unknown. */
    static final Peer UNKNOWN = new Peer(null, null, Identity.ANONYMOUS);
  }

  Connection(
      String id,
      Session session,
      Set<MessageType> allowed,
      Limits limits,
      TokenBucket rateBucket,
      ServerCounters counters,
      Executor closer,
      Peer peer) {
    this.id = id;
    this.session = session;
    this.allowed = allowed;
    this.maxQueued = limits.maxQueued();
    this.maxQueuedBytes = limits.maxQueuedBytes();
    this.rateBucket = rateBucket;
    this.counters = counters;
    this.closer = closer;
    this.peer = peer;
  }

  /** The bucket of {@code juggler.server.rate-limit}, or null when there is none. */
  TokenBucket rateBucket() {
    return rateBucket;
  }

  /** The resumable session this connection is attached to, or null (the client asked for none). */
  public String sessionId() {
    return sessionId;
  }

  void attachSession(String id) {
    this.sessionId = id;
  }

  /** The connection's random id, never revealed to the client. */
  public String id() {
    return id;
  }

  public boolean allows(MessageType type) {
    return allowed.contains(type);
  }

  public Instant connectedAt() {
    return connectedAt;
  }

  public String remoteAddress() {
    return peer.address();
  }

  public String userAgent() {
    return peer.userAgent();
  }

  /** Who the client proved to be at the handshake ({@link Identity#ANONYMOUS} if nobody). */
  public Identity identity() {
    return peer.identity();
  }

  public long messagesIn() {
    return messagesIn.get();
  }

  public long messagesOut() {
    return messagesOut.get();
  }

  void received() {
    messagesIn.incrementAndGet();
    heard();
  }

  /** Notes that the peer sent something (a message or a pong): it is still there. */
  void heard() {
    heardNanos = System.nanoTime();
  }

  /**
   * Keep-alive (see {@code juggler.server.ping-interval}): after {@code intervalNanos} without a
   * frame from the peer, sends it a ping, unless a write is in progress (the write timeout covers
   * that case); after twice that, runs {@code onTimeout} and closes the connection with 1001 (the
   * close is written by the closer thread, so a runtime whose close waits for the peer never holds
   * up the watchdog). Returns true if it closed it. Called by the server's watchdog thread only.
   */
  boolean keepAlive(long nowNanos, long intervalNanos, Runnable onTimeout) {
    long silent = nowNanos - heardNanos;
    if (closed.get() || silent < intervalNanos) {
      return false;
    }
    if (silent >= 2 * intervalNanos) {
      if (!closed.compareAndSet(false, true)) {
        return false;
      }
      onTimeout.run();
      closing(
          Protocol.CLOSE_GOING_AWAY,
          "no pong within " + (2 * intervalNanos / 1_000_000_000) + " s of silence");
      closer.execute(this::sendClose);
      return true;
    }
    if (nowNanos - pingedNanos >= intervalNanos / 2 && writing.compareAndSet(false, true)) {
      pingedNanos = nowNanos;
      try {
        session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
      } catch (IOException | RuntimeException e) {
        release();
        failed(e);
        return false;
      }
      release();
      drain(); // messages queued while the ping was written
    }
    return false;
  }

  public boolean isOpen() {
    return !closed.get() && session.isOpen();
  }

  /**
   * Whether the connection is closed or closing (by this server, or because the peer went away):
   * nothing more is read from it, and nothing is sent. Set before its state is forgotten.
   */
  boolean isClosing() {
    return closed.get();
  }

  /**
   * Queues {@code message} for writing. Returns false (and drops it) if the connection is closed or
   * has just been closed because its queue overflowed.
   */
  public boolean send(Message message) {
    return !closed.get() && enqueue(JsonCodec.encode(message));
  }

  /**
   * Like {@link #send(Message)} for a message encoded once for many connections (see {@link
   * JsonCodec#encodeTail}): this copy gets its own fresh {@code meta.uuid}.
   */
  public boolean send(MessageType type, String encodedTail) {
    return !closed.get() && enqueue(JsonCodec.encode(type, Uuids.random(), encodedTail));
  }

  /**
   * Waits until at most {@code messages} are waiting to be written, for a sender that paces itself
   * (a history replay): true once there is room, false if the connection closed or {@code
   * timeoutNanos} passed first.
   */
  boolean awaitRoom(int messages, long timeoutNanos) {
    long end = System.nanoTime() + timeoutNanos;
    while (queued.get() > messages) {
      if (closed.get() || System.nanoTime() - end > 0) {
        return false;
      }
      LockSupport.parkNanos(1_000_000);
    }
    return !closed.get();
  }

  /** The most messages that may wait to be written ({@code juggler.server.outbound-queue}). */
  int maxQueued() {
    return maxQueued;
  }

  /** Queues {@code text}, or closes a slow reader and returns false (the message is dropped). */
  private boolean enqueue(String text) {
    int count = queued.incrementAndGet();
    long chars = queuedBytes.addAndGet(text.length());
    boolean tooMany = count > maxQueued;
    if (tooMany || (chars > maxQueuedBytes && chars != text.length())) {
      queued.decrementAndGet();
      queuedBytes.addAndGet(-text.length());
      counters.limitExceeded(tooMany ? "outbound-queue" : "outbound-bytes");
      close(
          Protocol.CLOSE_POLICY_VIOLATION,
          tooMany
              ? "slow reader: more than " + maxQueued + " messages waiting to be written"
              : "slow reader: more than " + maxQueuedBytes + " bytes waiting to be written");
      return false;
    }
    outbound.add(text);
    messagesOut.incrementAndGet();
    drain();
    return true;
  }

  /**
   * Starts the next write if none is in flight. Holding {@link #writing} is the right to write (or
   * to send the close frame); it is never released once the connection is closed.
   */
  private void drain() {
    while (writing.compareAndSet(false, true)) {
      if (closed.get()) {
        sendClose();
        return;
      }
      String text = outbound.poll();
      if (text == null) {
        release();
        if (outbound.isEmpty()) {
          return;
        }
        continue; // a message arrived between poll and release: try again
      }
      try {
        writingChars = text.length();
        writeStartedNanos = System.nanoTime();
        session.getAsyncRemote().sendText(text, this::written);
      } catch (RuntimeException e) {
        release();
        failed(e);
      }
      return;
    }
  }

  /** Gives up the right to write; if the connection was closed meanwhile, sends the close. */
  private void release() {
    writing.set(false);
    if (closed.get() && writing.compareAndSet(false, true)) {
      sendClose();
    }
  }

  private void written(SendResult result) {
    writeStartedNanos = 0;
    queued.decrementAndGet();
    queuedBytes.addAndGet(-writingChars);
    if (closed.get()) {
      sendClose(); // a close waited for this write
      return;
    }
    if (!result.isOK()) {
      release();
      failed(result.getException());
      return;
    }
    release();
    drain();
  }

  private void failed(Throwable e) {
    if (!closed.get()) {
      LOG.log(Level.FINE, "conn={0} write failed: {1}", new Object[] {id, e});
      close(Protocol.CLOSE_INTERNAL_ERROR, "write failed");
    }
  }

  /**
   * Closes the connection with 1011 if one write has been in progress for longer than {@code
   * timeoutNanos} (the peer stopped reading). Returns true if it did.
   */
  boolean closeIfWriteStalled(long nowNanos, long timeoutNanos) {
    long started = writeStartedNanos;
    if (started != 0 && nowNanos - started > timeoutNanos && !closed.get()) {
      close(Protocol.CLOSE_INTERNAL_ERROR, "write timed out");
      return true;
    }
    return false;
  }

  /**
   * Closes the connection with 1008 once the credential it authenticated with has expired (a
   * token's {@code exp}, at {@code nowMillis} epoch milliseconds): the client reconnects with a
   * fresh one. Returns true if it did.
   */
  boolean closeIfCredentialExpired(long nowMillis) {
    long expires = peer.identity().expiresAtMillis();
    if (expires > 0 && nowMillis >= expires && !closed.get()) {
      close(Protocol.CLOSE_POLICY_VIOLATION, "token expired");
      return true;
    }
    return false;
  }

  /**
   * Closes the websocket with {@code code} and {@code reason} (at most once), without blocking the
   * caller: when a write is in flight, the close is handed to {@code closer}. (Open Liberty's
   * {@code Session.close} waits for a write in flight, which for a reader that stopped reading
   * lasts until the write's send timeout: called on an event lane, it stalled every connection of
   * the lane. Payara's abandons the write and returns at once.)
   */
  public void close(int code, String reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closing(code, reason);
    if (writing.compareAndSet(false, true)) {
      sendClose();
    } else {
      closer.execute(this::sendClose);
    }
  }

  private void closing(int code, String reason) {
    closeCode = code;
    // a close frame's reason holds at most 123 bytes (RFC 6455 5.5.1); a longer one makes the
    // close itself fail, and the connection would stay open
    closeReason = Utf8.prefix(reason, MAX_CLOSE_REASON_BYTES);
    outbound.clear();
    LOG.log(Level.FINE, "conn={0} closing: {1} {2}", new Object[] {id, code, closeReason});
  }

  private void sendClose() {
    if (closeSent.getAndSet(true)) {
      return;
    }
    int code = closeCode == 0 ? Protocol.CLOSE_GOING_AWAY : closeCode;
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), closeReason));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, e, () -> "conn=" + id + " close failed");
    }
  }

  /** The close code this server sent, or 0 if it did not close the connection. */
  int closeCode() {
    return closeCode;
  }

  /** Marks the connection closed without sending anything (the peer is already gone). */
  void markClosed() {
    closed.set(true);
    closeSent.set(true);
    outbound.clear();
  }

  @Override
  public String toString() {
    return "conn=" + id;
  }
}
