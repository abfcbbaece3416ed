package io.juggler.callee;

import io.juggler.broker.Backoff;
import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.CalleeBroker;
import io.juggler.broker.ReceivedCall;
import io.juggler.message.CallPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one call and stores its result: the primitive under the worker loop (Go's {@code
 * InvokeAndStoreResult}). The function runs on the calling thread, which is interrupted if the
 * call's deadline passes first (see {@link Deadlines}); a result that comes too late is dropped.
 * Storing a result while Redis cannot be reached is retried with {@link Backoff} as long as the
 * caller waits: a Redis restart or failover during the call does not cost its result. Thread-safe.
 */
public final class Invoker {

  private static final Logger LOG = Logger.getLogger(Invoker.class.getName());

  /** What became of one call. */
  public enum Outcome {
    /** The function returned and its result was stored. */
    SUCCEEDED,
    /** The function threw; the error object was stored. */
    FAILED_FUNCTION,
    /** The call's time ran out while the function ran; nothing was stored. */
    EXPIRED,
    /** Storing the result failed (e.g. results list full or Redis down). */
    STORE_FAILED,
    /** The client cancelled the call while the function ran; nothing was stored. */
    CANCELLED
  }

  /** What a caller is told of an exception that is not a {@link CalleeError} without details. */
  static final String INTERNAL_ERROR = "internal error";

  private final CalleeBroker broker;
  private final Jsonb jsonb;
  private final Deadlines deadlines;
  private final boolean errorDetails;

  /** The deadlines of the calls running now, by URI and uuid: what a cancel fires. */
  private final Map<String, Deadlines.Armed> running = new ConcurrentHashMap<>();

  /**
   * @param errorDetails {@code juggler.callee.error-details}: true ({@code message}) sends an
   *     exception's message to the caller, as the reference does; false ({@code none}) sends
   *     {@value #INTERNAL_ERROR} and an id, and logs the exception with that id (a {@link
   *     CalleeError} always keeps its own JSON)
   */
  Invoker(CalleeBroker broker, Jsonb jsonb, Deadlines deadlines, boolean errorDetails) {
    this.broker = broker;
    this.jsonb = jsonb;
    this.deadlines = deadlines;
    this.errorDetails = errorDetails;
  }

  public Outcome invokeAndStoreResult(ReceivedCall call, CalleeFunction function) {
    CallPayload p = call.payload();
    long deadline = call.takenAtNanos() + call.ttlMillis() * 1_000_000;
    RawJson result;
    boolean failed = false;
    String key = p.uri() + "\n" + p.msgUuid();
    boolean cancelled;
    try (Deadlines.Armed armed = deadlines.arm(deadline)) {
      running.put(key, armed);
      try {
        result =
            toJson(
                function.invoke(
                    new CallRequest(p, deadline, jsonb, call.attempt(), armed::cancelled)));
      } catch (Exception | LinkageError e) {
        failed = true;
        result = errorResult(p, e);
      } finally {
        running.remove(key, armed);
        cancelled = armed.cancelled();
      }
    }
    if (cancelled) {
      LOG.log(
          Level.FINE,
          "msg={0} uri={1} call cancelled by its client while the function ran",
          new Object[] {p.msgUuid(), p.uri()});
      return Outcome.CANCELLED;
    }
    long remaining = call.remainingMillis(System.nanoTime());
    if (remaining <= 0) {
      LOG.log(
          Level.FINE,
          "msg={0} uri={1} call expired while the function ran",
          new Object[] {p.msgUuid(), p.uri()});
      return Outcome.EXPIRED;
    }
    CallPayload stored = new CallPayload(p.connUuid(), p.msgUuid(), p.uri(), result);
    Backoff backoff = new Backoff();
    while (true) {
      try {
        broker.storeResult(stored, remaining);
        return failed ? Outcome.FAILED_FUNCTION : Outcome.SUCCEEDED;
      } catch (BrokerUnavailableException e) {
        // Redis away for a moment (a restart, a failover): the result is worth storing while the
        // caller still waits for it; the retry loop is back within Backoff.MAX of Redis
        remaining = call.remainingMillis(System.nanoTime());
        if (remaining <= backoff.peekMillis() || !backoff.sleep()) {
          return storeFailed(p, e);
        }
        remaining = call.remainingMillis(System.nanoTime());
      } catch (RuntimeException e) {
        return storeFailed(p, e);
      }
    }
  }

  /**
   * A client cancelled call {@code msgUuid} of {@code uri}: if it runs here, its function is
   * interrupted and its result dropped.
   *
   * @return whether it ran here
   */
  boolean cancel(String uri, String msgUuid) {
    Deadlines.Armed armed = running.get(uri + "\n" + msgUuid);
    if (armed == null) {
      return false;
    }
    armed.cancel();
    return true;
  }

  private static Outcome storeFailed(CallPayload p, RuntimeException e) {
    LOG.log(
        Level.WARNING,
        "msg={0} uri={1} storing the result failed: {2}",
        new Object[] {p.msgUuid(), p.uri(), e.getMessage()});
    return Outcome.STORE_FAILED;
  }

  RawJson toJson(Object value) {
    if (value == null) {
      return RawJson.NULL;
    } else if (value instanceof RawJson r) {
      return r;
    } else if (value instanceof JsonValue v) {
      return RawJson.of(v.toString());
    }
    return RawJson.of(jsonb.toJson(value));
  }

  /** The result of a function that threw {@code e} (see the constructor), logged. */
  RawJson errorResult(CallPayload p, Throwable e) {
    if (errorDetails || e instanceof CalleeError) {
      LOG.log(
          Level.FINE,
          "msg={0} uri={1} function failed: {2}",
          new Object[] {p.msgUuid(), p.uri(), e.toString()});
      return errorJson(e);
    }
    String id = Uuids.random();
    LOG.log(
        Level.WARNING,
        e,
        () -> "msg=" + p.msgUuid() + " uri=" + p.uri() + " function failed, error id " + id);
    return RawJson.of("{\"error\":{\"message\":\"" + INTERNAL_ERROR + "\",\"id\":\"" + id + "\"}}");
  }

  /** The reference's error result: a {@link CalleeError}'s own JSON, else the message. */
  static RawJson errorJson(Throwable e) {
    if (e instanceof CalleeError custom) {
      RawJson json = custom.toJson();
      if (json != null) {
        return json;
      }
    }
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    return RawJson.of("{\"error\":{\"message\":" + RawJson.string(message).json() + "}}");
  }
}
