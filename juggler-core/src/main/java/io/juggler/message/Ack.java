package io.juggler.message;

/**
 * ACK (8): the request {@code forUuid} of type {@code forType} was accepted. {@code uri} is set for
 * a CALL (and for a cancel: the cancelled call's) and {@code channel} for PUB/SUB/UNSB; either is
 * omitted on the wire when empty.
 *
 * @param cancelled for the ACK of a cancel (an UNSB with {@code call}), where the call was when it
 *     was cancelled: {@code queued} (no callee took it) or {@code running} (taken: its function was
 *     told); null otherwise
 * @param recovery for the ACK of a SUB that asked to recover (issue 23), what came of it; null
 *     otherwise
 */
public record Ack(
    String uuid,
    String forUuid,
    MessageType forType,
    String uri,
    String channel,
    String cancelled,
    Recovery recovery)
    implements Message {

  public Ack(String uuid, String forUuid, MessageType forType, String uri, String channel) {
    this(uuid, forUuid, forType, uri, channel, null, null);
  }

  public Ack(
      String uuid,
      String forUuid,
      MessageType forType,
      String uri,
      String channel,
      String cancelled) {
    this(uuid, forUuid, forType, uri, channel, cancelled, null);
  }

  /**
   * What came of a SUB's recovery: {@code recovered} (the missed events follow the ACK), else why
   * not ({@code reason}); either way the channel's current position, from which to go on.
   */
  public record Recovery(boolean recovered, String reason, long offset, String epoch) {}

  /** The ACK of {@code sub}, which asked to recover, with what came of it. */
  public static Ack ofRecovery(Sub sub, Recovery recovery) {
    return new Ack(
        Uuids.random(), sub.uuid(), MessageType.SUB, null, sub.channel(), null, recovery);
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
