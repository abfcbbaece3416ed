package io.juggler.message;

/**
 * EVNT (10): an event published by the PUB {@code forUuid} on {@code channel}; {@code pattern} is
 * set only when it was delivered through a pattern subscription. {@code offset} and {@code epoch}
 * place it in its channel's history (issue 23): 0 and null for a channel that keeps none, and then
 * not on the wire.
 */
public record Evnt(
    String uuid,
    String forUuid,
    String channel,
    String pattern,
    RawJson args,
    long offset,
    String epoch)
    implements Message {

  public Evnt(String uuid, String forUuid, String channel, String pattern, RawJson args) {
    this(uuid, forUuid, channel, pattern, args, 0, null);
  }

  @Override
  public MessageType type() {
    return MessageType.EVNT;
  }
}
