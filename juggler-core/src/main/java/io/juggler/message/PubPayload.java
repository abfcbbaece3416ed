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

  /**
   * {@link #exceptConn} of a publication for no client at all: a server's notice to callees (call
   * cancels), which every Juggler EE server delivers to nobody. A client cannot make one: its
   * publications name no connection, or its own (a uuid).
   */
  public static final String NOBODY = "*";

  /** Whether this publication is for no client ({@link #NOBODY}). */
  public boolean forNobody() {
    return NOBODY.equals(exceptConn);
  }

  /** A publication for every subscriber. */
  public PubPayload(String msgUuid, RawJson args) {
    this(msgUuid, args, null);
  }
}
