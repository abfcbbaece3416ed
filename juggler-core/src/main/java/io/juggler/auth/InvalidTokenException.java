package io.juggler.auth;

import io.juggler.JugglerException;

/** A bearer token that does not authenticate its holder; the message says why, never the token. */
public final class InvalidTokenException extends JugglerException {

  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String message) {
    super(message, false);
  }
}
