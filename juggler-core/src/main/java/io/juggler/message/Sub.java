package io.juggler.message;

/**
 * SUB (3): subscribe to a channel, or to a Redis glob pattern when {@code pattern} is true; with
 * {@code recover} (issue 23), also get the events of the channel's history after that position
 * first.
 *
 * @param recover the last event the client got (its offset and epoch), or null for none
 */
public record Sub(String uuid, String channel, boolean pattern, Position recover)
    implements Message {

  /** A subscription without recovery. */
  public Sub(String uuid, String channel, boolean pattern) {
    this(uuid, channel, pattern, null);
  }

  /** A place in a channel's history: the offset of an event (0: before the first) and the epoch. */
  public record Position(long offset, String epoch) {}

  @Override
  public MessageType type() {
    return MessageType.SUB;
  }
}
