package io.juggler.message;

/**
 * EVNT (10): an event published by the PUB {@code forUuid} on {@code channel}; {@code pattern} is
 * set only when it was delivered through a pattern subscription.
 */
public record Evnt(String uuid, String forUuid, String channel, String pattern, RawJson args)
    implements Message {
  @Override
  public MessageType type() {
    return MessageType.EVNT;
  }
}
