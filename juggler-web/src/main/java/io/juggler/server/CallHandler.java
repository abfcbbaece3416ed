package io.juggler.server;

import io.juggler.broker.DuplicateCallException;
import io.juggler.config.JugglerConfig;
import io.juggler.message.Call;
import io.juggler.message.MessageType;
import io.juggler.message.Protocol;

/**
 * CALL (checked by {@link CallCheck}, its timeout the effective time-to-live): queues it in Redis
 * through the {@link ResultRouter}, which sends the ACK (and a result that came before it).
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
    if (config.server().closeUri().isPresent()
        && config.server().closeUri().get().equals(call.uri())) {
      c.close(Protocol.CLOSE_NORMAL, "bye");
      return;
    }
    if (results.register(c, call, CallCheck.ttlMillis(call))
        == ResultRouter.Registration.DUPLICATE) {
      throw new DuplicateCallException(null); // pending on this shard: NACK 409, as from Redis
    }
    metrics.sent(MessageType.ACK);
    results.acknowledge(c, call);
  }
}
