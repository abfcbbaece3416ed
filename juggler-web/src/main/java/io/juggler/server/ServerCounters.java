package io.juggler.server;

import io.juggler.message.MessageType;

/**
 * What the request path counts: the narrow seam between the hot path (pipeline, routers,
 * connections) and MicroProfile Metrics. Every method defaults to a no-op; {@link ServerMetrics}
 * implements them on MicroProfile Metrics. Implementations are thread-safe and cheap.
 */
interface ServerCounters {

  ServerCounters NONE = new ServerCounters() {};

  /** A valid request of {@code type} was admitted. */
  default void received(MessageType type) {}

  /** A message of {@code type} was queued to a client. */
  default void sent(MessageType type) {}

  /** A NACK with {@code code} was sent. */
  default void nack(int code) {}

  /** A connection was closed for a protocol violation with {@code closeCode}. */
  default void violation(int closeCode) {}

  /** A call's result was delivered {@code latencyNanos} after its CALL arrived. */
  default void result(String uri, long latencyNanos) {}

  /** A result arrived for no waiting call (connection gone, deadline passed, unknown uuid). */
  default void orphanResult() {}

  /** The server stopped waiting for a call that got no result in time. */
  default void unansweredCall(String uri, String msgUuid) {}

  /** A connection closed while a call of it was pending. */
  default void abandonedCall(String uri, String msgUuid) {}

  /** An event was queued to {@code delivered} connections and dropped for {@code dropped}. */
  default void events(long delivered, long dropped) {}

  /**
   * A client hit the limit {@code limit} (e.g. {@code rate}, {@code max-pending-calls}, {@code
   * outbound-bytes}): its request was NACKed or its connection closed.
   */
  default void limitExceeded(String limit) {}

  /**
   * A client was refused for who it is: {@code action} is {@code CONNECT} (its handshake: no or an
   * invalid credential), or the {@code CALL}, {@code PUB} or {@code SUB} the rules do not allow it.
   */
  default void authRefused(String action) {}

  /**
   * A client asked for a session at the handshake, with {@code outcome}: {@code created}, {@code
   * resumed}, {@code expired}, {@code invalid}, {@code foreign} (a presented token refused: a fresh
   * session was made), or {@code unavailable} (Redis could not be reached: no session).
   */
  default void session(String outcome) {}

  /**
   * A result of a resumable session's call went the way {@code fate} says: {@code resumed}
   * (delivered to the session's connection after a resume or a forward), {@code parked} (kept in
   * Redis while the session is away), {@code forwarded} (sent to the server the session is on now),
   * {@code adopted} (taken from a dead server's shard), or {@code dropped} (the session expired, or
   * more results were parked than it may have pending calls).
   */
  default void sessionResult(String fate) {}

  /**
   * A SUB asked to recover; {@code outcome}: {@code recovered}, {@code epoch_changed}, {@code
   * history_gone} or {@code no_history} (the channel keeps none).
   */
  default void recovery(String outcome) {}

  /** {@code count} missed events were replayed to a recovering subscriber. */
  default void replayed(int count) {}

  /**
   * A client cancelled one of its calls, found at {@code stage}: {@code queued} or {@code running}.
   */
  default void cancelled(String stage) {}
}
