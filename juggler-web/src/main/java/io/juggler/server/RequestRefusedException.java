package io.juggler.server;

import io.juggler.JugglerException;

/**
 * A request the server refuses with a NACK (as opposed to a violation, which closes the
 * connection): {@code code} is HTTP-like (400 bad request, 409 conflict, ...) and the message says
 * what was wrong, for the client. Thrown by admission rules and handlers; {@link Replies} turns it
 * into the NACK.
 */
final class RequestRefusedException extends JugglerException {

  private static final long serialVersionUID = 1L;

  private final int code;

  RequestRefusedException(int code, String message) {
    super(message, false);
    this.code = code;
  }

  int code() {
    return code;
  }
}
