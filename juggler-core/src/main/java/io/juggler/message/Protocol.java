package io.juggler.message;

/** Constants of the juggler.0 websocket protocol: subprotocol, close codes, defaults. */
public final class Protocol {

  /** The only subprotocol spoken (spec section 2.1). */
  public static final String SUBPROTOCOL = "juggler.0";

  /** Request header restricting the message types a connection may send (spec section 2.6). */
  public static final String ALLOWED_MESSAGES_HEADER = "Juggler-Allowed-Messages";

  /**
   * Request header (or query parameter {@link #SESSION_PARAMETER}) asking for a resumable session:
   * {@code new}, or the token of the session to resume (issue 23).
   */
  public static final String SESSION_HEADER = "Juggler-Session";

  /** Query parameter asking for a resumable session, for browsers (which cannot set headers). */
  public static final String SESSION_PARAMETER = "session";

  /** Normal closure, e.g. the close URI test hook. */
  public static final int CLOSE_NORMAL = 1000;

  /** The server is shutting down. */
  public static final int CLOSE_GOING_AWAY = 1001;

  /** Malformed message, unknown or server-only type, missing subprotocol. */
  public static final int CLOSE_PROTOCOL_ERROR = 1002;

  /** A binary message: juggler.0 is text only. */
  public static final int CLOSE_UNSUPPORTED_DATA = 1003;

  /** A text message that is not valid UTF-8. */
  public static final int CLOSE_INVALID_PAYLOAD = 1007;

  /** A message type refused by {@code Juggler-Allowed-Messages}, or a slow reader. */
  public static final int CLOSE_POLICY_VIOLATION = 1008;

  /** An incoming message larger than the read limit. */
  public static final int CLOSE_TOO_BIG = 1009;

  /** An unexpected failure in the server, or the broker lost while serving. */
  public static final int CLOSE_INTERNAL_ERROR = 1011;

  /** Default call timeout when a CALL gives none (spec section 1.2). */
  public static final long DEFAULT_CALL_TIMEOUT_MILLIS = 60_000;

  private Protocol() {}
}
