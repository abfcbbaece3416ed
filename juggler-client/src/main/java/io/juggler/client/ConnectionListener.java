package io.juggler.client;

import io.juggler.message.Message;

/**
 * Observes one connection's traffic, for tools (the CLI prints every frame, the load generator
 * counts ACKs). All methods default to doing nothing.
 *
 * <p>{@link #onMessage} and {@link #onInvalidFrame} are called on the connection's receiving
 * thread, one call at a time and in arrival order: keep them short and never block, or the
 * connection stops reading.
 */
public interface ConnectionListener {

  /**
   * Every decoded ACK, NACK, RES and EVNT, before it completes a request or reaches a subscription;
   * also those that match nothing (a late RES after a local expiry).
   */
  default void onMessage(Message message) {}

  /** A frame that is not a server message; it is otherwise ignored, as the Go client does. */
  default void onInvalidFrame(String text, RuntimeException error) {}

  /**
   * The connection ended; called once, on the thread that noticed it (the receiving thread, or the
   * one calling {@code close()}/{@code abort()}), after every waiting request has been failed.
   */
  default void onClose(ConnectionClosedException cause) {}
}
