package io.juggler.callee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.juggler.message.Caller;
import io.juggler.message.RawJson;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleCheckTest {

  @Callee(value = "billing.total", roles = "billing")
  static final class Total implements CalleeFunction {
    @Override
    public Object invoke(CallRequest call) {
      return call.caller().orElseThrow().name();
    }
  }

  @Callee("ops.restart")
  @RolesAllowed({"ops", "admin"})
  static final class Restart implements CalleeFunction {
    @Override
    public Object invoke(CallRequest call) {
      return "restarted";
    }
  }

  @Callee("test.open")
  static final class Open implements CalleeFunction {
    @Override
    public Object invoke(CallRequest call) {
      return call.caller().isPresent();
    }
  }

  static CallRequest by(Caller caller) {
    return CallRequests.of("billing.total", RawJson.NULL, caller);
  }

  static String refusal(CalleeFunction f, Caller caller) {
    Exception e = assertThrows(Exception.class, () -> f.invoke(by(caller)));
    return Invoker.errorJson(e).json();
  }

  @Test
  void aFunctionRunsOnlyForCallersWithOneOfItsRoles() throws Exception {
    CalleeFunction f = RoleCheck.guard(new Total(), Total.class);
    assertEquals("bob", f.invoke(by(new Caller("bob", List.of("billing"), "c1"))));
    assertEquals(
        "{\"error\":{\"message\":\"billing.total requires one of the roles billing\",\"code\":403}}",
        refusal(f, new Caller("alice", List.of("user"), "c2")));
    assertEquals(
        "{\"error\":{\"message\":\"billing.total requires an authenticated caller\",\"code\":401}}",
        refusal(f, null));
  }

  @Test
  void rolesAllowedOnTheClassCountsToo() throws Exception {
    RoleCheck f = assertInstanceOf(RoleCheck.class, RoleCheck.guard(new Restart(), Restart.class));
    assertEquals(Set.of("ops", "admin"), f.roles());
    assertEquals("restarted", f.invoke(by(new Caller("root", List.of("admin"), "c"))));
  }

  @Test
  void aFunctionWithoutRolesIsNotWrappedAndSeesWhetherACallerCame() throws Exception {
    Open open = new Open();
    assertSame(open, RoleCheck.guard(open, Open.class));
    assertEquals(true, open.invoke(by(new Caller("x", List.of(), "c"))));
    assertEquals(false, open.invoke(by(null)));
  }
}
