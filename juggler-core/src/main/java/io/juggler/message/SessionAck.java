package io.juggler.message;

/**
 * The ACK of a connection's session (issue 23): sent first on a connection whose client asked for a
 * resumable session at the handshake, with {@code for_type} 0 (no request type has that code) and a
 * {@code session} member. A client that asked for nothing never receives it.
 *
 * @param uuid this message's uuid
 * @param session the session id ({@code for})
 * @param token what the client presents to resume it; null when no session could be made
 * @param windowNanos how long the session waits for its client after a drop
 * @param resumed whether a presented token resumed its session (false: a fresh one)
 * @param refused why a presented token was refused ({@code expired}, {@code invalid}, {@code
 *     foreign}, {@code disabled}, {@code unavailable}), or null
 */
public record SessionAck(
    String uuid, String session, String token, long windowNanos, boolean resumed, String refused)
    implements Message {

  /** The {@code for_type} of a session ACK. */
  public static final int FOR_TYPE = 0;

  @Override
  public MessageType type() {
    return MessageType.ACK;
  }
}
