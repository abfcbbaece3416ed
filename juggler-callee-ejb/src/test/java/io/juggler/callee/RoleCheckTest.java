package io.juggler.callee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.message.Caller;
import io.juggler.message.RawJson;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
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

  /** Third hardening round, item 10: the method's annotation was silently ignored. */
  @Callee("payroll.run")
  static final class MethodLevel implements CalleeFunction {
    @Override
    @RolesAllowed("payroll")
    public Object invoke(CallRequest call) {
      return "paid";
    }
  }

  @Callee("ops.status")
  @RolesAllowed("ops")
  static final class PermittedMethod implements CalleeFunction {
    @Override
    @PermitAll
    public Object invoke(CallRequest call) {
      return "ok";
    }
  }

  @Callee("ops.wipe")
  @RolesAllowed("ops")
  static final class DeniedMethod implements CalleeFunction {
    @Override
    @DenyAll
    public Object invoke(CallRequest call) {
      return "wiped";
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
  void rolesAllowedOnTheInvokeMethodIsEnforced() throws Exception {
    CalleeFunction f = RoleCheck.guard(new MethodLevel(), MethodLevel.class);
    assertEquals("paid", f.invoke(by(new Caller("pat", List.of("payroll"), "c"))));
    assertEquals(
        "{\"error\":{\"message\":\"billing.total requires one of the roles payroll\",\"code\":403}}",
        refusal(f, new Caller("eve", List.of("user"), "c")));
    assertTrue(refusal(f, null).contains("\"code\":401"));
  }

  @Test
  void theMethodsAnnotationReplacesTheClasss() throws Exception {
    CalleeFunction permitted = RoleCheck.guard(new PermittedMethod(), PermittedMethod.class);
    assertEquals("ok", permitted.invoke(by(null)), "@PermitAll on invoke lifts the class's roles");
    CalleeFunction denied = RoleCheck.guard(new DeniedMethod(), DeniedMethod.class);
    assertEquals(
        "{\"error\":{\"message\":\"billing.total may not be called (@DenyAll)\",\"code\":403}}",
        refusal(denied, new Caller("root", List.of("ops"), "c")));
    assertTrue(refusal(denied, null).contains("\"code\":403"));
  }

  @Test
  void aFunctionWithoutRolesIsNotWrappedAndSeesWhetherACallerCame() throws Exception {
    Open open = new Open();
    assertSame(open, RoleCheck.guard(open, Open.class));
    assertEquals(true, open.invoke(by(new Caller("x", List.of(), "c"))));
    assertEquals(false, open.invoke(by(null)));
  }
}
