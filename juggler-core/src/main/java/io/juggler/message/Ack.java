package io.juggler.message;

/**
 * ACK (8): the request {@code forUuid} of type {@code forType} was accepted. {@code uri} is set for
 * a CALL (and for a cancel: the cancelled call's) and {@code channel} for PUB/SUB/UNSB; either is
 * omitted on the wire when empty.
 *
 * @param cancelled for the ACK of a cancel (an UNSB with {@code call}), where the call was when it
 *     was cancelled: {@code queued} (no callee took it) or {@code running} (taken: its function was
 *     told); null otherwise
 */
public record Ack(
    String uuid, String forUuid, MessageType forType, String uri, String channel, String cancelled)
    implements Message {

  public Ack(String uuid, String forUuid, MessageType forType, String uri, String channel) {
    this(uuid, forUuid, forType, uri, channel, null);
  }

  /** The ACK of the cancel {@code request} of a call to {@code uri} found at {@code stage}. */
  public static Ack ofCancel(Unsb request, String uri, String stage) {
    return new Ack(Uuids.random(), request.uuid(), MessageType.UNSB, uri, null, stage);
  }

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
