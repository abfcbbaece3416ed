package io.juggler.broker;

/** Root of Juggler EE's unchecked exceptions. */
public class JugglerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public JugglerException(String message) {
    super(message);
  }

  public JugglerException(String message, Throwable cause) {
    super(message, cause);
  }
}
