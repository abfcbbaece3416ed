package io.juggler.client;

import java.time.Duration;

/**
 * No RES (nor NACK) arrived within the call's timeout, counted from when the CALL was handed to the
 * connection; the reference client's EXP (spec section 5). A RES arriving later is ignored.
 */
public class CallExpiredException extends JugglerClientException {

  private static final long serialVersionUID = 1L;

  private final String callUuid;
  private final String uri;
  private final Duration timeout;

  public CallExpiredException(String callUuid, String uri, Duration timeout) {
    super("CALL " + callUuid + " to " + uri + " expired after " + timeout.toMillis() + " ms");
    this.callUuid = callUuid;
    this.uri = uri;
    this.timeout = timeout;
  }

  public String callUuid() {
    return callUuid;
  }

  public String uri() {
    return uri;
  }

  public Duration timeout() {
    return timeout;
  }
}
