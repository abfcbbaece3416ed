package io.juggler.client;

import io.juggler.message.MessageType;

/**
 * The server answered a request with NACK (spec section 3.7): {@link #code()} is HTTP-like (500 for
 * a broker failure, 400 for a request refused up front) and {@link #reason()} the NACK's message.
 */
public class RequestRejectedException extends JugglerClientException {

  private static final long serialVersionUID = 1L;

  private final String requestUuid;
  private final MessageType requestType;
  private final int code;
  private final String reason;

  public RequestRejectedException(
      String requestUuid, MessageType requestType, int code, String reason) {
    super(requestType + " " + requestUuid + " rejected: " + code + " " + reason);
    this.requestUuid = requestUuid;
    this.requestType = requestType;
    this.code = code;
    this.reason = reason;
  }

  public String requestUuid() {
    return requestUuid;
  }

  public MessageType requestType() {
    return requestType;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }
}
