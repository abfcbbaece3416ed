package io.juggler.server;

import io.juggler.message.Message;
import io.juggler.message.Protocol;
import io.juggler.message.ProtocolException;

/**
 * The {@code Juggler-Allowed-Messages} rule (spec 2.6): a type the client excluded at the handshake
 * is a violation, closed with 1008, whatever else is wrong with the request. Checked right after
 * decoding, before a CALL's own members ({@link CallCheck}) and before the {@link Admission} rules.
 */
final class AllowedTypes {

  private AllowedTypes() {}

  /**
   * @throws ProtocolException (1008) if {@code c} excluded the type of {@code request}
   */
  static void check(Connection c, Message request) {
    if (!c.allows(request.type())) {
      throw new ProtocolException(
          Protocol.CLOSE_POLICY_VIOLATION,
          request.type()
              + " is not allowed on this connection ("
              + Protocol.ALLOWED_MESSAGES_HEADER
              + ")");
    }
  }
}
