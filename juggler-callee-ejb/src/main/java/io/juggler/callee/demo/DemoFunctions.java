package io.juggler.callee.demo;

import io.juggler.callee.Callee;
import io.juggler.callee.CalleeFunction;
import java.util.LinkedHashMap;
import java.util.Map;

/** The demo functions by URI. */
public final class DemoFunctions {

  private DemoFunctions() {}

  public static Map<String, CalleeFunction> all() {
    Map<String, CalleeFunction> m = new LinkedHashMap<>();
    for (CalleeFunction f :
        new CalleeFunction[] {new Echo(), new Reverse(), new Delay(), new ReliableDelay()}) {
      m.put(f.getClass().getAnnotation(Callee.class).value(), f);
    }
    return m;
  }
}
