package io.juggler.broker;

import io.juggler.JugglerException;

/** A broker operation failed; the message is the text a NACK carries. */
public class BrokerException extends JugglerException {

  private static final long serialVersionUID = 1L;

  public BrokerException(String message, Throwable cause) {
    super(message, cause);
  }
}
