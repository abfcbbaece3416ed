package io.juggler.server;

import io.juggler.broker.BrokerException;
import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.CapacityExceededException;
import io.juggler.broker.DuplicateCallException;
import io.juggler.message.Ack;
import io.juggler.message.Message;
import io.juggler.message.Nack;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where a request's outcome becomes an ACK or a NACK (and is counted). Broker
 * failures map to NACK codes here and nowhere else:
 *
 * <ul>
 *   <li>{@link RequestRefusedException}: its code and message.
 *   <li>{@link BrokerUnavailableException} (Redis unreachable, timed out, pool exhausted): 503
 *       {@code redis unavailable}. The cause, with Redis's address, is logged, never sent.
 *   <li>{@link CapacityExceededException}: 500 {@code list capacity exceeded}, the reference's code
 *       and text (spec 4).
 *   <li>any other {@link BrokerException} (an error reply): 500 with Redis's error text, as the
 *       reference does.
 * </ul>
 */
final class Replies {

  private static final Logger LOG = Logger.getLogger(Replies.class.getName());

  /** What a client is told while Redis cannot be reached; the details stay in the log. */
  static final String UNAVAILABLE = "redis unavailable";

  private final ServerCounters metrics;

  Replies(ServerCounters metrics) {
    this.metrics = metrics;
  }

  void ack(Connection c, Message request) {
    send(c, Ack.of(request));
  }

  void nack(Connection c, Message request, int code, String message) {
    metrics.nack(code);
    send(c, Nack.of(request, code, message));
  }

  /** NACKs {@code request} for {@code failure}, with the code and text listed above. */
  void refused(Connection c, Message request, RuntimeException failure) {
    if (failure instanceof RequestRefusedException r) {
      nack(c, request, r.code(), r.getMessage());
    } else if (failure instanceof BrokerUnavailableException) {
      LOG.log(
          Level.FINE,
          "{0} msg={1} {2} refused: {3}",
          new Object[] {c, request.uuid(), request.type(), failure.getMessage()});
      nack(c, request, 503, UNAVAILABLE);
    } else if (failure instanceof CapacityExceededException) {
      nack(c, request, 500, CapacityExceededException.MESSAGE);
    } else if (failure instanceof DuplicateCallException) {
      nack(c, request, 409, "a call with uuid " + request.uuid() + " is already pending");
    } else {
      LOG.log(
          Level.FINE,
          "{0} msg={1} {2} failed in Redis: {3}",
          new Object[] {c, request.uuid(), request.type(), failure.getMessage()});
      nack(c, request, 500, failure.getMessage());
    }
  }

  void send(Connection c, Message m) {
    metrics.sent(m.type());
    c.send(m);
  }
}
