package io.juggler.client;

import io.juggler.message.MessageType;

/** A CALL got a NACK: it was not queued and no RES will follow. */
public class CallRejectedException extends RequestRejectedException {

  private static final long serialVersionUID = 1L;

  private final String uri;

  public CallRejectedException(String callUuid, String uri, int code, String reason) {
    super(callUuid, MessageType.CALL, code, reason);
    this.uri = uri;
  }

  public String uri() {
    return uri;
  }
}
