package io.juggler.message;

/**
 * CALL (1): ask for the function at {@code uri} to run with {@code args}.
 *
 * @param timeoutNanos how long the caller waits for the result, in nanoseconds; 0 means "use the
 *     server default"
 * @param args the arguments, or {@code null} when the message had no {@code args} member
 */
public record Call(String uuid, String uri, long timeoutNanos, RawJson args) implements Message {
  @Override
  public MessageType type() {
    return MessageType.CALL;
  }
}
