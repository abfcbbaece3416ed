package io.juggler.server;

import io.juggler.broker.BrokerException;
import io.juggler.message.JsonCodec;
import io.juggler.message.Message;
import io.juggler.message.MessageType;
import io.juggler.message.Protocol;
import io.juggler.message.ProtocolException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What happens to one text frame, in four steps:
 *
 * <ol>
 *   <li><b>decode</b> ({@link JsonCodec#decodeRequest}): a frame that is not a juggler.0 request is
 *       a violation, and so is a type the connection excluded ({@link AllowedTypes}); a CALL is
 *       then checked and its time-to-live settled once ({@link CallCheck});
 *   <li><b>admit</b>: each {@link Admission} rule in order (rate, names, authorisation, quotas);
 *   <li><b>dispatch</b> to the {@link RequestHandler} of the request's type;
 *   <li><b>reply</b>: handlers ACK; a refusal or broker failure becomes a NACK in {@link Replies};
 *       a violation closes the connection with its code; anything else closes it with 1011.
 * </ol>
 *
 * Every client message is thus answered with exactly one ACK or NACK, or ends the connection (spec
 * 4); a frame that arrives once its connection is closing (refused, closed by this server or by the
 * peer) is dropped unanswered, never carried out. Requests of one connection go through one after
 * another on the container's thread for that connection, so replies keep request order (spec 1.4).
 * Thread-safe.
 */
final class RequestPipeline {

  private static final Logger LOG = Logger.getLogger(RequestPipeline.class.getName());

  private final CallCheck calls;
  private final List<Admission> admissions;
  private final Map<MessageType, RequestHandler<Message>> handlers =
      new EnumMap<>(MessageType.class);
  private final Replies replies;
  private final ServerCounters metrics;

  RequestPipeline(
      CallCheck calls, List<Admission> admissions, Replies replies, ServerCounters metrics) {
    this.calls = calls;
    this.admissions = List.copyOf(admissions);
    this.replies = replies;
    this.metrics = metrics;
  }

  /** Registers the handler of requests of {@code type} (one per client message type). */
  @SuppressWarnings("unchecked")
  <M extends Message> RequestPipeline on(MessageType type, RequestHandler<M> handler) {
    handlers.put(type, (RequestHandler<Message>) handler);
    return this;
  }

  void process(Connection c, String text) {
    if (c.isClosing()) {
      // a frame that was on its way when the connection was refused or closed: never carried out
      return;
    }
    c.received();
    Message decoded;
    try {
      decoded = JsonCodec.decodeRequest(text);
    } catch (ProtocolException e) {
      violation(c, e.closeCode(), e.getMessage());
      return;
    }
    Message request = decoded;
    try {
      AllowedTypes.check(c, decoded); // an excluded type closes, whatever else is wrong with it
      request = calls.check(decoded);
      for (Admission a : admissions) {
        a.admit(c, request);
      }
      metrics.received(request.type());
      LOG.log(
          Level.FINEST,
          "{0} msg={1} received {2}",
          new Object[] {c, request.uuid(), request.type()});
      handlers.get(request.type()).handle(c, request);
    } catch (RequestRefusedException | BrokerException e) {
      replies.refused(c, request, e);
    } catch (ProtocolException e) {
      violation(c, e.closeCode(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, e, () -> c + " msg=" + decoded.uuid() + " " + decoded.type() + " failed");
      c.close(Protocol.CLOSE_INTERNAL_ERROR, "internal error");
    }
  }

  void violation(Connection c, int code, String reason) {
    metrics.violation(code);
    LOG.log(
        Level.FINE,
        "{0} protocol violation, closing with {1}: {2}",
        new Object[] {c, code, reason});
    c.close(code, reason);
  }
}
