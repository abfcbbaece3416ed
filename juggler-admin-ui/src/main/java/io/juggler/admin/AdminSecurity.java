package io.juggler.admin;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The console's role. {@code /admin/*} requires it ({@code META-INF/web-fragment.xml}); the login
 * page, the login form's target and the stylesheet are open. Who gets it is decided by {@link
 * ConsoleLogin} (the password through {@link AdminIdentityStore}, or a token role).
 */
@ApplicationScoped
@DeclareRoles(AdminSecurity.ROLE)
public class AdminSecurity {

  /** The role that may open the console and act. */
  public static final String ROLE = "admin";
}
