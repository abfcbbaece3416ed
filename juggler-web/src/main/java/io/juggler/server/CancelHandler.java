package io.juggler.server;

import io.juggler.message.Ack;
import io.juggler.message.MessageType;
import io.juggler.message.Unsb;

/**
 * A cancel (an UNSB with {@code call}, issue 23): the call is found among the connection's pending
 * calls, or its session's, and cancelled through the {@link ResultRouter}; the ACK says whether it
 * was still queued or already running. NACK 404 when the connection (and its session) has no such
 * call pending: another client's call, one already answered, or one that never was.
 */
final class CancelHandler implements RequestHandler<Unsb> {

  private final ResultRouter results;
  private final ServerCounters metrics;

  CancelHandler(ResultRouter results, ServerCounters metrics) {
    this.results = results;
    this.metrics = metrics;
  }

  @Override
  public void handle(Connection c, Unsb cancel) {
    ResultRouter.Cancelled done = results.cancel(c, cancel.call());
    if (done == null) {
      throw new RequestRefusedException(404, "no pending call " + cancel.call());
    }
    metrics.cancelled(done.stage());
    c.send(Ack.ofCancel(cancel, done.uri(), done.stage()));
    metrics.sent(MessageType.ACK);
  }
}
