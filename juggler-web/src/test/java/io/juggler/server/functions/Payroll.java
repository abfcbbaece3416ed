package io.juggler.server.functions;

import io.juggler.callee.CallRequest;
import io.juggler.callee.Callee;
import io.juggler.callee.CalleeFunction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Test function whose roles are declared on its method, not its class: only callers with the role
 * {@code payroll} may run it.
 */
@ApplicationScoped
@Callee("test.payroll")
public class Payroll implements CalleeFunction {

  @Override
  @RolesAllowed("payroll")
  public Object invoke(CallRequest call) {
    return "paid by " + call.caller().orElseThrow().name();
  }
}
