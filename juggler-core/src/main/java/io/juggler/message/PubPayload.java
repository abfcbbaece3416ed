package io.juggler.message;

/**
 * What is published on a Redis channel for a PUB (spec section 6.2).
 *
 * @param args the event payload, or {@code null} when absent (then omitted)
 * @param exceptConn the id of the connection this event is not delivered to (a PUB with {@code
 *     "echo": false}: its publisher), or {@code null} for none; the optional member {@code
 *     except_conn}, which the reference's readers ignore
 */
public record PubPayload(String msgUuid, RawJson args, String exceptConn) {

  /** A publication for every subscriber. */
  public PubPayload(String msgUuid, RawJson args) {
    this(msgUuid, args, null);
  }
}
