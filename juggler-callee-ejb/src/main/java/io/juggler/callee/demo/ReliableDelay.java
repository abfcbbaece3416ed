package io.juggler.callee.demo;

import io.juggler.callee.CallRequest;
import io.juggler.callee.Callee;
import io.juggler.callee.Delivery;
import io.juggler.callee.DemoFunction;
import jakarta.enterprise.context.Dependent;
import java.util.Map;

/**
 * {@code test.reliable.delay}: {@code test.delay} delivered at least once. Sleeps N milliseconds
 * (same arguments as {@code test.delay}) and returns {@code {"delay":N,"attempt":A}}, A being the
 * delivery attempt that answered (2 or more when a callee died with the call).
 */
@Dependent
@Callee(value = "test.reliable.delay", delivery = Delivery.AT_LEAST_ONCE)
public final class ReliableDelay implements DemoFunction {

  @Override
  public Object invoke(CallRequest call) throws InterruptedException {
    long n = Delay.millis(DemoArgs.value(call));
    if (n > 0) {
      Thread.sleep(n);
    }
    return Map.of("delay", n, "attempt", call.attempt());
  }
}
