package io.juggler.server;

import io.juggler.message.Message;

/**
 * A rule a decoded request must pass before it is dispatched. Rules run in order; the first that
 * objects decides. A rule objects by throwing {@link io.juggler.message.ProtocolException} (the
 * connection is closed with its code) or {@link RequestRefusedException} (the request is NACKed).
 * Authorisation, quotas and rates are rules. Implementations are thread-safe: they are called on
 * every connection's thread.
 */
interface Admission {

  void admit(Connection c, Message request);
}
