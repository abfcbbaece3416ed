package io.juggler.message;

/**
 * NACK (7): the request {@code forUuid} was refused or failed. {@code code} is HTTP-like: 500 for a
 * broker failure (as the reference), 400 for a request we reject up front, 503 while Redis is
 * unreachable.
 */
public record Nack(
    String uuid,
    String forUuid,
    MessageType forType,
    String uri,
    String channel,
    int code,
    String message)
    implements Message {
  @Override
  public MessageType type() {
    return MessageType.NACK;
  }

  /** The NACK answering {@code request}, with a fresh uuid. */
  public static Nack of(Message request, int code, String message) {
    return new Nack(
        Uuids.random(),
        request.uuid(),
        request.type(),
        Ack.uriOf(request),
        Ack.channelOf(request),
        code,
        message);
  }
}
