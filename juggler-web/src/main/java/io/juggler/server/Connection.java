package io.juggler.server;

import io.juggler.message.JsonCodec;
import io.juggler.message.Message;
import io.juggler.message.MessageType;
import io.juggler.message.Protocol;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One juggler connection: its websocket session, the message types it may send, its outbound queue
 * and its keep-alive. What it waits for (pending calls, subscriptions) is kept by the routers, each
 * in its own index ({@link ResultRouter}, {@link EventRouter}), so that every piece of state has
 * one owner.
 *
 * <p><b>Outbound queue.</b> {@link #send} never blocks: it appends the encoded message to a queue
 * drained by one asynchronous write at a time, each bounded by {@code
 * juggler.server.write-timeout}. When more than {@code juggler.server.outbound-queue} messages are
 * waiting, the reader is too slow: the connection is closed with 1008 and the queued messages are
 * dropped, so it never stalls the pumps or other connections. A failed write closes it with 1011.
 * Thread-safe.
 */
public final class Connection {

  private static final Logger LOG = Logger.getLogger(Connection.class.getName());

  private final String id;
  private final Session session;
  private final Set<MessageType> allowed;
  private final int maxQueued;
  private final Instant connectedAt = Instant.now();
  private final String remoteAddress;
  private final String userAgent;
  private final Queue<String> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean writing = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong messagesIn = new AtomicLong();
  private final AtomicLong messagesOut = new AtomicLong();
  private volatile int closeCode;
  private volatile long writeStartedNanos;
  private volatile long heardNanos = System.nanoTime();
  private volatile long pingedNanos;

  Connection(
      String id,
      Session session,
      Set<MessageType> allowed,
      int maxQueued,
      String remoteAddress,
      String userAgent) {
    this.id = id;
    this.session = session;
    this.allowed = allowed;
    this.maxQueued = maxQueued;
    this.remoteAddress = remoteAddress;
    this.userAgent = userAgent;
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
    return remoteAddress;
  }

  public String userAgent() {
    return userAgent;
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
   * that case); after twice that, closes the connection with 1001. Returns true if it closed it.
   * Called by the server's watchdog thread only.
   */
  boolean keepAlive(long nowNanos, long intervalNanos) {
    long silent = nowNanos - heardNanos;
    if (closed.get() || silent < intervalNanos) {
      return false;
    }
    if (silent >= 2 * intervalNanos) {
      close(
          Protocol.CLOSE_GOING_AWAY,
          "no pong within " + (2 * intervalNanos / 1_000_000_000) + " s of silence");
      return true;
    }
    if (nowNanos - pingedNanos >= intervalNanos / 2 && writing.compareAndSet(false, true)) {
      pingedNanos = nowNanos;
      try {
        session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
      } catch (IOException | RuntimeException e) {
        writing.set(false);
        failed(e);
        return false;
      }
      writing.set(false);
      drain(); // messages queued while the ping was written
    }
    return false;
  }

  public boolean isOpen() {
    return !closed.get() && session.isOpen();
  }

  /**
   * Queues {@code message} for writing. Returns false (and drops it) if the connection is closed or
   * has just been closed because its queue overflowed.
   */
  public boolean send(Message message) {
    if (!admit()) {
      return false;
    }
    enqueue(JsonCodec.encode(message));
    return true;
  }

  /**
   * Like {@link #send(Message)} for a message encoded once for many connections (see {@link
   * JsonCodec#encodeTail}): this copy gets its own fresh {@code meta.uuid}.
   */
  public boolean send(MessageType type, String encodedTail) {
    if (!admit()) {
      return false;
    }
    enqueue(JsonCodec.encode(type, Uuids.random(), encodedTail));
    return true;
  }

  /** Reserves a place in the outbound queue, or closes a slow reader; false: drop the message. */
  private boolean admit() {
    if (closed.get()) {
      return false;
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      close(
          Protocol.CLOSE_POLICY_VIOLATION,
          "slow reader: more than " + maxQueued + " messages waiting to be written");
      return false;
    }
    return true;
  }

  private void enqueue(String text) {
    outbound.add(text);
    messagesOut.incrementAndGet();
    drain();
  }

  private void drain() {
    while (!closed.get() && writing.compareAndSet(false, true)) {
      String text = outbound.poll();
      if (text == null) {
        writing.set(false);
        if (outbound.isEmpty()) {
          return;
        }
        continue; // a message arrived between poll and release: try again
      }
      try {
        writeStartedNanos = System.nanoTime();
        session.getAsyncRemote().sendText(text, this::written);
      } catch (RuntimeException e) {
        writing.set(false);
        failed(e);
        return;
      }
      return;
    }
  }

  private void written(SendResult result) {
    writeStartedNanos = 0;
    queued.decrementAndGet();
    writing.set(false);
    if (!result.isOK()) {
      failed(result.getException());
      return;
    }
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

  /** Closes the websocket with {@code code} and {@code reason} (at most once). */
  public void close(int code, String reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeCode = code;
    outbound.clear();
    String r = reason.length() > 120 ? reason.substring(0, 120) : reason;
    LOG.log(Level.FINE, "conn={0} closing: {1} {2}", new Object[] {id, code, r});
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), r));
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
    outbound.clear();
  }

  @Override
  public String toString() {
    return "conn=" + id;
  }
}
