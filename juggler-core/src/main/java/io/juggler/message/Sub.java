package io.juggler.message;

/** SUB (3): subscribe to a channel, or to a Redis glob pattern when {@code pattern} is true. */
public record Sub(String uuid, String channel, boolean pattern) implements Message {
  @Override
  public MessageType type() {
    return MessageType.SUB;
  }
}
