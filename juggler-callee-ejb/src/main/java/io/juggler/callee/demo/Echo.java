package io.juggler.callee.demo;

import io.juggler.callee.CallRequest;
import io.juggler.callee.Callee;
import io.juggler.callee.DemoFunction;
import jakarta.enterprise.context.Dependent;

/** {@code test.echo}: returns its arguments unchanged, whatever JSON they are. */
@Dependent
@Callee("test.echo")
public final class Echo implements DemoFunction {

  @Override
  public Object invoke(CallRequest call) {
    if (call.args() == null) {
      throw new IllegalArgumentException("unexpected end of JSON input: missing args");
    }
    return call.args();
  }
}
