package io.juggler.server;

import io.juggler.message.Message;

/**
 * Carries out one type of admitted request and replies to it (ACK, or NACK by throwing {@link
 * RequestRefusedException} or a broker exception). Called on the connection's thread, one request
 * of a connection at a time.
 */
interface RequestHandler<M extends Message> {

  void handle(Connection c, M request);
}
