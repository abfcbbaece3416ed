package io.juggler.broker;

import io.juggler.message.CallPayload;

/**
 * A result taken from a results list with what the server needs to route it: how long it has left
 * and the resumable session its call was bound to (null when none).
 */
public record TakenResult(CallPayload result, long ttlMillis, String session) {}
