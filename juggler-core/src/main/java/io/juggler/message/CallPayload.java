package io.juggler.message;

/**
 * A call as stored in {@code juggler:calls:{uri}} and a result as stored in {@code
 * juggler:results:{conn}} (spec section 6.2): both have the same four members, and a call of an
 * authenticated client a fifth, optional one, {@code caller}.
 *
 * @param connUuid the server-chosen identifier that routes the result back ({@code conn_uuid})
 * @param msgUuid the CALL's uuid ({@code msg_uuid})
 * @param args the arguments or result, or {@code null} when absent (then omitted in Redis)
 * @param caller who made the call, or {@code null} (anonymous, a result, or a call stored by a
 *     server that does not say)
 */
public record CallPayload(
    String connUuid, String msgUuid, String uri, RawJson args, Caller caller) {

  /** A payload without a caller: a result, or an anonymous client's call. */
  public CallPayload(String connUuid, String msgUuid, String uri, RawJson args) {
    this(connUuid, msgUuid, uri, args, null);
  }
}
