package io.juggler.message;

/**
 * What is published on a Redis channel for a PUB (spec section 6.2).
 *
 * @param args the event payload, or {@code null} when absent (then omitted)
 * @param exceptConn the id of the connection this event is not delivered to (a PUB with {@code
 *     "echo": false}: its publisher), or {@code null} for none; the optional member {@code
 *     except_conn}, which the reference's readers ignore
 * @param offset the event's position in its channel's history (from 1), or 0 when the channel keeps
 *     none: the optional member {@code offset} (issue 23)
 * @param epoch the history's epoch (it changes when the history starts over), or null with offset
 *     0: the optional member {@code epoch}
 */
public record PubPayload(
    String msgUuid, RawJson args, String exceptConn, long offset, String epoch) {

  /** A publication of a channel without history. */
  public PubPayload(String msgUuid, RawJson args, String exceptConn) {
    this(msgUuid, args, exceptConn, 0, null);
  }

  /** This publication at {@code offset} of history {@code epoch}. */
  public PubPayload at(long offset, String epoch) {
    return new PubPayload(msgUuid, args, exceptConn, offset, epoch);
  }

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
