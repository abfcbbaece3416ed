package io.juggler.callee;

import io.juggler.message.CallPayload;
import io.juggler.message.Caller;
import io.juggler.message.RawJson;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** One call handed to a {@link CalleeFunction}. Not thread-safe; valid during the invocation. */
public final class CallRequest {

  private final String uri;
  private final String msgUuid;
  private final RawJson args;
  private final Caller caller;
  private final long deadlineNanos;
  private final Jsonb jsonb;
  private final int attempt;
  private final BooleanSupplier cancelled;

  CallRequest(CallPayload payload, long deadlineNanos, Jsonb jsonb) {
    this(payload, deadlineNanos, jsonb, 1, () -> false);
  }

  CallRequest(
      CallPayload payload,
      long deadlineNanos,
      Jsonb jsonb,
      int attempt,
      BooleanSupplier cancelled) {
    this.cancelled = cancelled;
    this.uri = payload.uri();
    this.msgUuid = payload.msgUuid();
    this.args = payload.args();
    this.caller = payload.caller();
    this.deadlineNanos = deadlineNanos;
    this.jsonb = jsonb;
    this.attempt = attempt;
  }

  /**
   * Whether the client cancelled this call while it ran (issue 23): the function's thread is then
   * interrupted, as at its deadline, and nothing it returns reaches the client. A function that
   * works in steps checks this (or {@link Thread#interrupted()}) between them.
   */
  public boolean isCancelled() {
    return cancelled.getAsBoolean();
  }

  public String uri() {
    return uri;
  }

  /**
   * The CALL message's uuid. Unique while the call is pending (the server refuses a second CALL
   * with it): the idempotency key of an {@link Delivery#AT_LEAST_ONCE} function, whose call may be
   * delivered again after a callee died.
   */
  public String msgUuid() {
    return msgUuid;
  }

  /**
   * Which delivery of this call this is, from 1. Always 1 for an {@link Delivery#AT_MOST_ONCE} URI;
   * for an {@link Delivery#AT_LEAST_ONCE} one, 2 or more when an earlier delivery may have run
   * (fully, partly or not at all) on a callee that died or lost Redis before finishing.
   */
  public int attempt() {
    return attempt;
  }

  /**
   * Who made the call, as the server that took it authenticated them: name, roles and connection
   * id. Empty for an anonymous caller, and for a call stored by a server that does not say (the
   * reference).
   */
  public Optional<Caller> caller() {
    return Optional.ofNullable(caller);
  }

  /** The arguments as raw JSON, or {@code null} when the CALL had none. */
  public RawJson args() {
    return args;
  }

  /**
   * The arguments bound to {@code type} with JSON-B.
   *
   * @throws IllegalArgumentException if there are no arguments or they do not fit {@code type}
   */
  public <T> T args(Type type) {
    if (args == null) {
      throw new IllegalArgumentException("missing args");
    }
    try {
      return jsonb.fromJson(args.json(), type);
    } catch (JsonbException e) {
      throw new IllegalArgumentException(
          "args do not fit " + type.getTypeName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Time left before the caller stops waiting (zero once it has passed). A result returned after
   * that is dropped, and a function still running then is interrupted: long work should check
   * {@link #isExpired()} or let blocking calls throw {@link InterruptedException}.
   */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  /** When the caller stops waiting (on this JVM's clock, as an instant). */
  public Instant deadline() {
    return Instant.now().plusNanos(deadlineNanos - System.nanoTime());
  }

  /** Whether the caller has stopped waiting: the result would be dropped. */
  public boolean isExpired() {
    return System.nanoTime() - deadlineNanos >= 0;
  }
}
