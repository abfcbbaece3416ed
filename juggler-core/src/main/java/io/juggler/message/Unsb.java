package io.juggler.message;

/**
 * UNSB (4): end a subscription made by a SUB with the same channel and pattern flag; or, with the
 * optional member {@code call} (Juggler EE, issue 23), cancel the pending CALL of that uuid.
 *
 * @param call the uuid of the CALL to cancel (lowercase, dashed), or null for an unsubscribe
 */
public record Unsb(String uuid, String channel, boolean pattern, String call) implements Message {

  /** An unsubscribe. */
  public Unsb(String uuid, String channel, boolean pattern) {
    this(uuid, channel, pattern, null);
  }

  /** A cancel of the pending CALL {@code call}. */
  public static Unsb cancel(String uuid, String call) {
    return new Unsb(uuid, "", false, call);
  }

  /** Whether this is a call cancel rather than an unsubscribe. */
  public boolean isCancel() {
    return call != null;
  }

  @Override
  public MessageType type() {
    return MessageType.UNSB;
  }
}
