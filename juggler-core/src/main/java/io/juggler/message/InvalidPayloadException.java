package io.juggler.message;

/** A payload read from Redis is not of the shape spec section 6.2 defines; it is dropped. */
public class InvalidPayloadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidPayloadException(String message) {
    super(message, null, false, false);
  }
}
