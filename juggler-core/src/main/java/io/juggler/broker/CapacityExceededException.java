package io.juggler.broker;

/** A call or results list is full (spec section 6.7); nothing was queued. */
public class CapacityExceededException extends BrokerException {

  private static final long serialVersionUID = 1L;

  /** The exact text the reference sends in the NACK. */
  public static final String MESSAGE = "list capacity exceeded";

  public CapacityExceededException(Throwable cause) {
    super(MESSAGE, cause);
  }
}
