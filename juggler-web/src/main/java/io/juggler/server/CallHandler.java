package io.juggler.server;

import io.juggler.config.JugglerConfig;
import io.juggler.message.Call;
import io.juggler.message.MessageType;
import io.juggler.message.Protocol;

/**
 * CALL: validates it, queues it in Redis through the {@link ResultRouter}, which sends the ACK (and
 * a result that came before it). The time-to-live is the CALL's {@code timeout} or, when it gives
 * none, {@code juggler.calls.default-timeout}.
 */
final class CallHandler implements RequestHandler<Call> {

  private final JugglerConfig config;
  private final ResultRouter results;
  private final ServerCounters metrics;

  CallHandler(JugglerConfig config, ResultRouter results, ServerCounters metrics) {
    this.config = config;
    this.results = results;
    this.metrics = metrics;
  }

  @Override
  public void handle(Connection c, Call call) {
    if (config.closeUri().isPresent() && config.closeUri().get().equals(call.uri())) {
      c.close(Protocol.CLOSE_NORMAL, "bye");
      return;
    }
    if (call.uri().isEmpty()) {
      throw new RequestRefusedException(400, "missing uri");
    }
    if (call.timeoutNanos() < 0) {
      throw new RequestRefusedException(
          400, "invalid timeout: " + call.timeoutNanos() + " is negative");
    }
    long ttl =
        call.timeoutNanos() == 0
            ? config.defaultCallTimeout().toMillis()
            : Math.max(1, call.timeoutNanos() / 1_000_000);
    if (results.register(c, call, ttl) == ResultRouter.Registration.DUPLICATE) {
      throw new RequestRefusedException(
          409, "a call with uuid " + call.uuid() + " is already pending");
    }
    metrics.sent(MessageType.ACK);
    results.acknowledge(c, call);
  }
}
