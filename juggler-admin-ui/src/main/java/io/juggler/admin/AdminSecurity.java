package io.juggler.admin;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.authentication.mechanism.http.FormAuthenticationMechanismDefinition;
import jakarta.security.enterprise.authentication.mechanism.http.LoginToContinue;

/**
 * Form login for the console. {@code /admin/*} requires the {@link #ROLE} role ({@code
 * META-INF/web-fragment.xml}); {@code /admin/login.html} is open. Credentials are checked by {@link
 * AdminIdentityStore}.
 */
@ApplicationScoped
@DeclareRoles(AdminSecurity.ROLE)
@FormAuthenticationMechanismDefinition(
    loginToContinue =
        @LoginToContinue(
            loginPage = "/admin/login.html",
            errorPage = "/admin/login.html?failed",
            useForwardToLogin = false))
public class AdminSecurity {

  /** The role that may open the console and act. */
  public static final String ROLE = "admin";
}
