package io.juggler.server;

import io.juggler.message.Call;
import io.juggler.message.Message;
import java.time.Duration;

/**
 * What a CALL must be before any rule looks at it, checked once: a URI (NACK 400 {@code missing
 * uri}) and a timeout that is not negative (NACK 400). It leaves the CALL with its effective
 * time-to-live as its timeout: {@code juggler.calls.default-timeout} for none (0), at least 1 ms
 * otherwise. Every later step ({@link CallLimits}, {@link QueueAdmission}, {@link CallHandler})
 * reads that one value through {@link #ttlMillis}. Other requests pass untouched. Stateless.
 */
final class CallCheck {

  private static final long MILLI = 1_000_000L;

  private final long defaultTimeoutNanos;

  CallCheck(Duration defaultTimeout) {
    this.defaultTimeoutNanos = defaultTimeout.toNanos();
  }

  /**
   * {@code request}, or for a CALL the checked CALL with its effective timeout.
   *
   * @throws RequestRefusedException 400 for a CALL without URI or with a negative timeout
   */
  Message check(Message request) {
    if (!(request instanceof Call call)) {
      return request;
    }
    if (call.uri().isEmpty()) {
      throw new RequestRefusedException(400, "missing uri");
    }
    if (call.timeoutNanos() < 0) {
      throw new RequestRefusedException(
          400, "invalid timeout: " + call.timeoutNanos() + " is negative");
    }
    long effective =
        call.timeoutNanos() == 0 ? defaultTimeoutNanos : Math.max(MILLI, call.timeoutNanos());
    return effective == call.timeoutNanos()
        ? call
        : new Call(call.uuid(), call.uri(), effective, call.args());
  }

  /** The time-to-live in milliseconds of a CALL that passed {@link #check}. */
  static long ttlMillis(Call checked) {
    return checked.timeoutNanos() / MILLI;
  }
}
