package io.juggler.client.commandline;

/** A command line or command that cannot be run as given; the message says why. */
public class UsageException extends Exception {

  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message, null, false, false);
  }
}
