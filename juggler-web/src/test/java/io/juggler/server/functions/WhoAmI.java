package io.juggler.server.functions;

import io.juggler.callee.CallRequest;
import io.juggler.callee.Callee;
import io.juggler.callee.CalleeFunction;
import io.juggler.message.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Test function: answers who made the call, as its callee sees it ({@link CallRequest#caller()}).
 */
@ApplicationScoped
@Callee("test.whoami")
public class WhoAmI implements CalleeFunction {

  @Override
  public Object invoke(CallRequest call) {
    return call.caller()
        .<Object>map((Caller c) -> Map.of("name", c.name(), "roles", c.roles(), "conn", c.conn()))
        .orElse(Map.of("anonymous", true));
  }
}
