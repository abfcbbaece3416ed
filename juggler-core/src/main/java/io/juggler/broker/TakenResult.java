package io.juggler.broker;

import io.juggler.message.CallPayload;

/**
 * A result taken from a results list with what the server needs to route it: how long it has left,
 * the resumable session its call was bound to (null when none), and whether Redis holds it until
 * the server says it is settled ({@link SessionBroker#settled}, for a session-bound result taken
 * from the server's own shard).
 */
public record TakenResult(CallPayload result, long ttlMillis, String session, boolean held) {

  /** A result Redis does not hold. */
  public TakenResult(CallPayload result, long ttlMillis, String session) {
    this(result, ttlMillis, session, false);
  }
}
