package io.juggler.client;

/**
 * The connection ended, so the request can no longer be answered. {@link #code()} is the websocket
 * close code (1006 when the connection was lost without a close frame) and {@link #reason()} the
 * close reason or the error text.
 */
public class ConnectionClosedException extends JugglerClientException {

  private static final long serialVersionUID = 1L;

  /** Close code used when the connection broke without a close frame. */
  public static final int ABNORMAL = 1006;

  private final int code;
  private final String reason;
  private final boolean byClient;

  public ConnectionClosedException(int code, String reason, boolean byClient) {
    super(
        (byClient ? "connection closed by the client: " : "connection closed: ")
            + code
            + (reason == null || reason.isEmpty() ? "" : " " + reason));
    this.code = code;
    this.reason = reason == null ? "" : reason;
    this.byClient = byClient;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** True when this side ended the connection ({@code close()} or {@code abort()}). */
  public boolean byClient() {
    return byClient;
  }
}
