package io.juggler.message;

/**
 * PUB (2): publish {@code args} on {@code channel}.
 *
 * @param args the event payload, or {@code null} when the message had no {@code args} member
 */
public record Pub(String uuid, String channel, RawJson args) implements Message {
  @Override
  public MessageType type() {
    return MessageType.PUB;
  }
}
