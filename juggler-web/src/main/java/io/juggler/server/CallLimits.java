package io.juggler.server;

import io.juggler.config.JugglerConfig;
import io.juggler.message.Call;
import io.juggler.message.Message;
import io.juggler.message.Utf8;

/**
 * What a client may ask of Redis with a CALL: a time-to-live of at most {@code
 * juggler.calls.max-timeout} (NACK 400), args of at most {@code juggler.calls.max-args-bytes} bytes
 * of UTF-8 (NACK 413), and at most {@code juggler.server.max-pending-calls} calls of its connection
 * waiting for a result (NACK 429). Each NACK names the setting and its value.
 */
final class CallLimits implements Admission {

  private final long maxTimeoutNanos;
  private final int maxArgsBytes;
  private final int maxPending;
  private final ResultRouter results;
  private final ServerCounters counters;

  CallLimits(JugglerConfig config, ResultRouter results, ServerCounters counters) {
    this.maxTimeoutNanos = config.calls().maxTimeout().toNanos();
    this.maxArgsBytes = config.calls().maxArgsBytes();
    this.maxPending = config.limits().maxPendingCalls();
    this.results = results;
    this.counters = counters;
  }

  @Override
  public void admit(Connection c, Message request) {
    if (!(request instanceof Call call)) {
      return;
    }
    if (call.timeoutNanos() > maxTimeoutNanos) {
      counters.limitExceeded("max-timeout");
      throw new RequestRefusedException(
          400,
          "timeout "
              + call.timeoutNanos()
              + " ns exceeds "
              + JugglerConfig.MAX_CALL_TIMEOUT
              + " ("
              + maxTimeoutNanos / 1_000_000
              + " ms)");
    }
    if (call.args() != null && Utf8.lengthExceeds(call.args().json(), maxArgsBytes)) {
      counters.limitExceeded("max-args-bytes");
      throw new RequestRefusedException(
          413,
          "args exceed " + JugglerConfig.MAX_CALL_ARGS_BYTES + " (" + maxArgsBytes + " bytes)");
    }
    if (results.pendingCount(c) >= maxPending) {
      counters.limitExceeded("max-pending-calls");
      throw new RequestRefusedException(
          429,
          "too many pending calls on this connection: "
              + maxPending
              + " ("
              + JugglerConfig.MAX_PENDING_CALLS
              + ")");
    }
  }
}
