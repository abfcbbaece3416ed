package io.juggler.message;

/** The juggler.0 message types and their numeric wire codes (spec section 3.2). */
public enum MessageType {
  CALL(1),
  PUB(2),
  SUB(3),
  UNSB(4),
  NACK(7),
  ACK(8),
  RES(9),
  EVNT(10);

  private final int code;

  MessageType(int code) {
    this.code = code;
  }

  /** The integer sent in {@code meta.type}. */
  public int code() {
    return code;
  }

  /** True for the types a client may send (CALL, PUB, SUB, UNSB). */
  public boolean isClientMessage() {
    return code <= 4;
  }

  /** True for the types only a server sends (NACK, ACK, RES, EVNT). */
  public boolean isServerMessage() {
    return code >= 7;
  }

  /** The type with that wire code, or {@code null} if the code is not a juggler.0 type. */
  public static MessageType fromCode(long code) {
    for (MessageType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
