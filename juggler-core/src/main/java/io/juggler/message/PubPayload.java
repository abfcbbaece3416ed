package io.juggler.message;

/**
 * What is published on a Redis channel for a PUB (spec section 6.2).
 *
 * @param args the event payload, or {@code null} when absent (then omitted)
 */
public record PubPayload(String msgUuid, RawJson args) {}
