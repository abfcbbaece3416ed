package io.juggler.server;

import io.juggler.config.JugglerConfig;
import io.juggler.message.Call;
import io.juggler.message.Message;

/**
 * {@code juggler.calls.reject-unserved}: a CALL to a URI that no live callee serves (as the
 * registry's instance states tell, see {@link ServedUris}) gets NACK 404 at once, instead of an ACK
 * and an expiry. Off by default: the reference queues such calls, and callees that do not publish
 * to the registry (Go callees) would not count.
 */
final class UnservedUris implements Admission {

  private final ServedUris served;
  private final ServerCounters counters;

  UnservedUris(ServedUris served, ServerCounters counters) {
    this.served = served;
    this.counters = counters;
  }

  @Override
  public void admit(Connection c, Message request) {
    if (request instanceof Call call && served.known() && served.capacity(call.uri()) == null) {
      counters.limitExceeded("reject-unserved");
      throw new RequestRefusedException(
          404, "no callee serves " + call.uri() + " (" + JugglerConfig.REJECT_UNSERVED + ")");
    }
  }
}
