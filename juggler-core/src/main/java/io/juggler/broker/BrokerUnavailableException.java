package io.juggler.broker;

/** Redis could not be reached (refused, timed out, connection lost, pool exhausted). */
public class BrokerUnavailableException extends BrokerException {

  private static final long serialVersionUID = 1L;

  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
