package io.juggler.callee;

import io.juggler.message.RawJson;

/**
 * Implemented by an exception that knows its own JSON form: the result is then that JSON instead of
 * {@code {"error":{"message":...}}} (spec section 5, custom error payloads).
 */
public interface CalleeError {

  RawJson toJson();
}
