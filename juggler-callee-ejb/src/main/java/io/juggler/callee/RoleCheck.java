package io.juggler.callee;

import io.juggler.message.Caller;
import io.juggler.message.RawJson;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A function that only callers holding one of its roles may run: {@link Callee#roles()}, and the
 * Jakarta security annotations on its class or on its {@code invoke} method, with the usual rule
 * that the method's annotation replaces the class's ({@code @RolesAllowed} names the roles,
 * {@code @PermitAll} lifts the class's, {@code @DenyAll} refuses everyone). Other calls are not
 * run: their result is an error object with {@code code} 403, or 401 when the call carries no
 * caller (spec section 5's error form).
 */
final class RoleCheck implements CalleeFunction {

  private final CalleeFunction function;
  private final Set<String> roles;
  private final boolean denyAll;

  private RoleCheck(CalleeFunction function, Set<String> roles, boolean denyAll) {
    this.function = function;
    this.roles = Set.copyOf(roles);
    this.denyAll = denyAll;
  }

  /**
   * {@code function} guarded by the roles {@code type} declares, or {@code function} itself when it
   * declares none.
   */
  static CalleeFunction guard(CalleeFunction function, Class<?> type) {
    Set<String> roles = new LinkedHashSet<>();
    Callee callee = type.getAnnotation(Callee.class);
    if (callee != null) {
      roles.addAll(Arrays.asList(callee.roles()));
    }
    AnnotatedElement decides = invokeMethod(type);
    if (decides == null || !declaresAccess(decides)) {
      decides = type; // the method says nothing: the class decides
    }
    boolean denyAll = decides.isAnnotationPresent(DenyAll.class);
    RolesAllowed allowed = decides.getAnnotation(RolesAllowed.class);
    if (allowed != null && !decides.isAnnotationPresent(PermitAll.class)) {
      roles.addAll(Arrays.asList(allowed.value()));
    }
    return roles.isEmpty() && !denyAll ? function : new RoleCheck(function, roles, denyAll);
  }

  /** The {@code invoke(CallRequest)} that runs for {@code type}, or null if it cannot be found. */
  private static Method invokeMethod(Class<?> type) {
    try {
      return type.getMethod("invoke", CallRequest.class);
    } catch (NoSuchMethodException | SecurityException e) {
      return null;
    }
  }

  private static boolean declaresAccess(AnnotatedElement e) {
    return e.isAnnotationPresent(RolesAllowed.class)
        || e.isAnnotationPresent(PermitAll.class)
        || e.isAnnotationPresent(DenyAll.class);
  }

  /** The roles of which a caller must hold one. */
  Set<String> roles() {
    return roles;
  }

  /** Whether nobody may run it ({@code @DenyAll}). */
  boolean deniesAll() {
    return denyAll;
  }

  @Override
  public Object invoke(CallRequest call) throws Exception {
    if (denyAll) {
      throw new NotAllowed(403, call.uri() + " may not be called (@DenyAll)");
    }
    Caller caller = call.caller().orElse(null);
    if (caller == null) {
      throw new NotAllowed(401, call.uri() + " requires an authenticated caller");
    }
    if (caller.roles().stream().noneMatch(roles::contains)) {
      List<String> needed = new ArrayList<>(roles);
      needed.sort(null);
      throw new NotAllowed(
          403, call.uri() + " requires one of the roles " + String.join(", ", needed));
    }
    return function.invoke(call);
  }

  /** The refusal, as the error result {@code {"error":{"message":...,"code":...}}}. */
  static final class NotAllowed extends Exception implements CalleeError {

    private static final long serialVersionUID = 1L;
    private final int code;

    NotAllowed(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    @Override
    public RawJson toJson() {
      return RawJson.of(
          "{\"error\":{\"message\":"
              + RawJson.string(getMessage()).json()
              + ",\"code\":"
              + code
              + "}}");
    }
  }
}
