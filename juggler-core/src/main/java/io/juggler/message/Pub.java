package io.juggler.message;

/**
 * PUB (2): publish {@code args} on {@code channel}.
 *
 * @param args the event payload, or {@code null} when the message had no {@code args} member
 * @param echo false when the publishing connection asks not to receive this event itself (the
 *     optional member {@code "echo": false}, a Juggler EE extension; true when absent)
 */
public record Pub(String uuid, String channel, RawJson args, boolean echo) implements Message {

  /** A PUB whose event also reaches the publisher when it is subscribed (the protocol's own). */
  public Pub(String uuid, String channel, RawJson args) {
    this(uuid, channel, args, true);
  }

  @Override
  public MessageType type() {
    return MessageType.PUB;
  }
}
