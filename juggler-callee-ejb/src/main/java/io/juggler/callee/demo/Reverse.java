package io.juggler.callee.demo;

import io.juggler.callee.CallRequest;
import io.juggler.callee.Callee;
import io.juggler.callee.DemoFunction;
import jakarta.enterprise.context.Dependent;

/**
 * {@code test.reverse}: a JSON string reversed by Unicode code point ({@code "ab😀c"} → {@code
 * "c😀ba"}).
 */
@Dependent
@Callee("test.reverse")
public final class Reverse implements DemoFunction {

  @Override
  public Object invoke(CallRequest call) {
    String s = DemoArgs.string(call);
    int[] cps = s.codePoints().toArray();
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = cps.length - 1; i >= 0; i--) {
      sb.appendCodePoint(cps[i]);
    }
    return sb.toString();
  }
}
