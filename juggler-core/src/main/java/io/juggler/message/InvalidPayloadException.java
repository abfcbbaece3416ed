package io.juggler.message;

import io.juggler.JugglerException;

/** A payload read from Redis is not of the shape spec section 6.2 defines; it is dropped. */
public class InvalidPayloadException extends JugglerException {

  private static final long serialVersionUID = 1L;

  public InvalidPayloadException(String message) {
    super(message, false);
  }
}
