package io.juggler.server.functions;

import io.juggler.callee.CallRequest;
import io.juggler.callee.Callee;
import io.juggler.callee.CalleeFunction;
import jakarta.enterprise.context.ApplicationScoped;

/** Test function that only callers with the role {@code vault} may run (the callee enforces it). */
@ApplicationScoped
@Callee(value = "test.vault", roles = "vault")
public class Vault implements CalleeFunction {

  @Override
  public Object invoke(CallRequest call) {
    return "opened for " + call.caller().orElseThrow().name();
  }
}
