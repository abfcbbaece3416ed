package io.juggler.client;

import io.juggler.message.MessageType;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * The outcome of one request (CALL, PUB, SUB or UNSB) sent by a {@link JugglerClient}, with the
 * request's message uuid. It completes exactly once: with the RES args for a CALL, with {@code
 * null} on ACK for the others, or exceptionally with {@link RequestRejectedException}, {@link
 * CallExpiredException} or {@link ConnectionClosedException}.
 *
 * <p>{@link #cancel Cancelling} a CALL's future also cancels the call itself (issue 23): the client
 * sends a cancel (an UNSB with {@code call}), and a Juggler EE server removes the call if no callee
 * took it yet, or tells the callee running it to stop; no RES follows (the reference's servers
 * ignore the cancel). Completing a future yourself, or cancelling a PUB, SUB or UNSB, only stops
 * waiting: the request stays in flight and its answer is ignored. Dependent stages are plain {@link
 * CompletableFuture}s.
 */
public final class RequestFuture<T> extends CompletableFuture<T> {

  private final String uuid;
  private final MessageType type;
  private final String target;
  private volatile boolean acknowledged;
  volatile ScheduledFuture<?> timer;
  volatile Runnable onCancel;

  /** For a CALL: its local deadline ({@link System#nanoTime()}) and timeout. */
  volatile long deadlineNanos;

  volatile Duration timeout;

  RequestFuture(String uuid, MessageType type, String target) {
    this.uuid = uuid;
    this.type = type;
    this.target = target;
  }

  /** The request's {@code meta.uuid}, as ACK, NACK and RES refer to it ({@code for}). */
  public String uuid() {
    return uuid;
  }

  public MessageType type() {
    return type;
  }

  /** The CALL's URI, or the channel of a PUB, SUB or UNSB. */
  public String target() {
    return target;
  }

  /**
   * Whether the server's ACK arrived before the request completed. A CALL can complete with its RES
   * before its ACK (spec section 1.4); then this stays false.
   */
  public boolean isAcknowledged() {
    return acknowledged;
  }

  /** Cancels this future; for a CALL, also the call on the server (see the class comment). */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      cancelTimer();
      Runnable r = onCancel;
      if (r != null) {
        r.run();
      }
    }
    return cancelled;
  }

  void markAcknowledged() {
    acknowledged = true;
  }

  void cancelTimer() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  @Override
  public String toString() {
    return type + " " + uuid + " " + target + " " + super.toString();
  }
}
