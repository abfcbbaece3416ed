package io.juggler.message;

/** RES (9): the result of the CALL {@code forUuid}; {@code args} is never null on the wire. */
public record Res(String uuid, String forUuid, String uri, RawJson args) implements Message {
  @Override
  public MessageType type() {
    return MessageType.RES;
  }
}
