package io.juggler.client;

/** Root of the client's unchecked exceptions. */
public class JugglerClientException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public JugglerClientException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * For outcomes of single requests (rejections, expiries, closes), which are routine under load:
   * no stack trace, so they cost no more than the message.
   */
  protected JugglerClientException(String message) {
    super(message, null, false, false);
  }
}
