package io.juggler;

/** A setting has a bad value; the message names the key and the value. Stops start-up. */
public class ConfigurationException extends JugglerException {

  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }
}
