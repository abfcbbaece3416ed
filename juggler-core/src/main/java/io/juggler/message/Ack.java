package io.juggler.message;

/**
 * ACK (8): the request {@code forUuid} of type {@code forType} was accepted. {@code uri} is set for
 * a CALL and {@code channel} for PUB/SUB/UNSB; either is omitted on the wire when empty.
 */
public record Ack(String uuid, String forUuid, MessageType forType, String uri, String channel)
    implements Message {
  @Override
  public MessageType type() {
    return MessageType.ACK;
  }

  /** The ACK answering {@code request}, with a fresh uuid. */
  public static Ack of(Message request) {
    return new Ack(
        Uuids.random(), request.uuid(), request.type(), uriOf(request), channelOf(request));
  }

  static String uriOf(Message m) {
    return m instanceof Call c ? c.uri() : null;
  }

  static String channelOf(Message m) {
    if (m instanceof Pub p) {
      return p.channel();
    } else if (m instanceof Sub s) {
      return s.channel();
    } else if (m instanceof Unsb u) {
      return u.channel();
    }
    return null;
  }
}
