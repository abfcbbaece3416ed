package io.juggler.callee.demo;

import io.juggler.callee.CallRequest;
import io.juggler.callee.Callee;
import io.juggler.callee.DemoFunction;
import jakarta.enterprise.context.Dependent;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * {@code test.delay}: sleeps N milliseconds (no sleep when N is negative) and returns the number N.
 * N is a JSON string holding a decimal integer ({@code "300"}, a sign allowed) as the reference
 * takes it, or a JSON integer. It honours the call's deadline: its sleep is interrupted when the
 * caller stops waiting, which frees the worker (the reference's slept on).
 */
@Dependent
@Callee("test.delay")
public final class Delay implements DemoFunction {

  @Override
  public Object invoke(CallRequest call) throws InterruptedException {
    long n = millis(DemoArgs.value(call));
    if (n > 0) {
      Thread.sleep(n);
    }
    return n;
  }

  static long millis(JsonValue v) {
    if (v instanceof JsonNumber num && num.isIntegral()) {
      try {
        return num.longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("test.delay: " + num + " is out of range");
      }
    }
    if (v instanceof JsonString s) {
      try {
        return Long.parseLong(s.getString());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "test.delay: parsing \"" + s.getString() + "\": invalid syntax");
      }
    }
    throw new IllegalArgumentException(
        "test.delay expects an integer or a string holding one, got " + DemoArgs.kind(v));
  }
}
