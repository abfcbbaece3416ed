package io.juggler.callee;

import io.juggler.message.Caller;
import io.juggler.message.RawJson;
import jakarta.annotation.security.RolesAllowed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A function that only callers holding one of its roles may run ({@link Callee#roles()} or {@code
 * RolesAllowed} on its class). Other calls are not run: their result is an error object with {@code
 * code} 403, or 401 when the call carries no caller (spec section 5's error form).
 */
final class RoleCheck implements CalleeFunction {

  private final CalleeFunction function;
  private final Set<String> roles;

  private RoleCheck(CalleeFunction function, Set<String> roles) {
    this.function = function;
    this.roles = Set.copyOf(roles);
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
    RolesAllowed allowed = type.getAnnotation(RolesAllowed.class);
    if (allowed != null) {
      roles.addAll(Arrays.asList(allowed.value()));
    }
    return roles.isEmpty() ? function : new RoleCheck(function, roles);
  }

  /** The roles of which a caller must hold one. */
  Set<String> roles() {
    return roles;
  }

  @Override
  public Object invoke(CallRequest call) throws Exception {
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
