package io.juggler;

/**
 * Root of Juggler EE's exceptions, all unchecked: broker failures ({@code io.juggler.broker}),
 * protocol violations and invalid payloads ({@code io.juggler.message}), bad configuration ({@link
 * ConfigurationException}, here, as every package may refuse a setting). Each is translated where
 * it meets the outside: a NACK or close code on the websocket, a failed deployment naming the
 * setting, a logged and counted drop in a background loop.
 */
public class JugglerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public JugglerException(String message) {
    super(message);
  }

  public JugglerException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Without a stack trace, for exceptions a client can cause at will (a violation, an invalid
   * payload): they are expected, counted and answered, and must cost next to nothing.
   */
  protected JugglerException(String message, boolean withStackTrace) {
    super(message, null, false, withStackTrace);
  }
}
