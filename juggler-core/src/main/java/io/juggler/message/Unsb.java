package io.juggler.message;

/** UNSB (4): end a subscription made by a SUB with the same channel and pattern flag. */
public record Unsb(String uuid, String channel, boolean pattern) implements Message {
  @Override
  public MessageType type() {
    return MessageType.UNSB;
  }
}
