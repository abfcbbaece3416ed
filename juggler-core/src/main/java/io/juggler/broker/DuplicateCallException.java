package io.juggler.broker;

/**
 * A CALL's uuid is already pending in Redis (queued by any connection of any server): nothing was
 * queued. The caller answers NACK 409.
 */
public class DuplicateCallException extends BrokerException {

  private static final long serialVersionUID = 1L;

  public DuplicateCallException(Throwable cause) {
    super("a call with this uuid is already pending", cause);
  }
}
