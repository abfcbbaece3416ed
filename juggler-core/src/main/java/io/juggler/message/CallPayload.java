package io.juggler.message;

/**
 * A call as stored in {@code juggler:calls:{uri}} and a result as stored in {@code
 * juggler:results:{conn}} (spec section 6.2): both have the same four members.
 *
 * @param connUuid the server-chosen identifier that routes the result back ({@code conn_uuid})
 * @param msgUuid the CALL's uuid ({@code msg_uuid})
 * @param args the arguments or result, or {@code null} when absent (then omitted in Redis)
 */
public record CallPayload(String connUuid, String msgUuid, String uri, RawJson args) {}
