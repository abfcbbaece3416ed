package io.juggler.message;

import io.juggler.JugglerException;

/**
 * A client broke the protocol; the connection is closed with {@link #closeCode()} and the message
 * as reason. Never answered with a NACK (spec section 2.5).
 */
public class ProtocolException extends JugglerException {

  private static final long serialVersionUID = 1L;

  private final int closeCode;

  public ProtocolException(int closeCode, String message) {
    super(message, false);
    this.closeCode = closeCode;
  }

  public int closeCode() {
    return closeCode;
  }
}
