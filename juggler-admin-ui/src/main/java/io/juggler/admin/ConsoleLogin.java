package io.juggler.admin;

import io.juggler.Printable;
import io.juggler.auth.Credentials;
import io.juggler.auth.Identity;
import io.juggler.auth.InvalidTokenException;
import io.juggler.config.JugglerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.AutoApplySession;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * The console's login, a Jakarta Security mechanism for the whole application that only acts on the
 * console's protected pages and its login form (every other request, {@code /ws} included, passes
 * untouched; a signed-in console session is re-applied by {@link AutoApplySession}):
 *
 * <ul>
 *   <li>A POST to {@value #LOGIN_ACTION} is a login only when it carries the form token of the
 *       login page this session loaded ({@link LoginPage}); anything else (a forged cross-site
 *       POST) gets 403 and is audited. Failed and forged logins are throttled per user from an
 *       address and per address ({@link LoginThrottle}): while locked, even the right password is
 *       refused. Every outcome is audited with the user name as typed (escaped) and the client's
 *       address. A success gets a new session id (no fixation).
 *   <li>With {@code juggler.admin.token-role}, a bearer token holding that role (the {@code
 *       Authorization} header, or the token cookie {@code mp.jwt.token.cookie} a single sign-on
 *       page of the same origin set) opens the console as its user, without the password.
 *   <li>Anyone else asking for a console page is sent to {@value #LOGIN_PAGE}.
 * </ul>
 */
@ApplicationScoped
@AutoApplySession
public class ConsoleLogin implements HttpAuthenticationMechanism {

  static final String LOGIN_PAGE = "/admin/login";
  static final String LOGIN_ACTION = "/admin/j_security_check";
  static final String FORM_TOKEN = "juggler.console.form-token";

  @Inject JugglerConfig config;
  @Inject IdentityStoreHandler identities;
  @Inject LoginThrottle throttle;
  @Inject Audit audit;

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest req, HttpServletResponse res, HttpMessageContext ctx) {
    String path = req.getRequestURI().substring(req.getContextPath().length());
    if (path.equals(LOGIN_ACTION) && "POST".equals(req.getMethod())) {
      return login(req, res, ctx);
    }
    if (!ctx.isProtected()) {
      return ctx.doNothing();
    }
    Optional<Identity> admin = tokenAdmin(req);
    if (admin.isPresent()) {
      audit.login(admin.get().name(), address(req), "signed in with a token");
      return ctx.notifyContainerAboutLogin(admin.get().name(), Set.of(AdminSecurity.ROLE));
    }
    return ctx.redirect(req.getContextPath() + LOGIN_PAGE);
  }

  private AuthenticationStatus login(
      HttpServletRequest req, HttpServletResponse res, HttpMessageContext ctx) {
    String user = Optional.ofNullable(req.getParameter("j_username")).orElse("");
    String address = address(req);
    boolean fromForm = formTokenMatches(req);
    // every post counts against its address (and user) until it succeeds, forged ones included:
    // a flood of them is throttled like guesses, and audited once per lock, not once per post
    LoginThrottle.Lock lock = throttle.begin(user, address);
    if (lock.locked()) {
      if (lock.first()) {
        audit.login(
            user,
            address,
            "refused: too many failed logins, locked for "
                + (lock.retryAfter().toMillis() + 999) / 1000
                + " s");
      }
      return fromForm
          ? ctx.redirect(req.getContextPath() + LOGIN_PAGE + "?locked")
          : refuse(res, HttpServletResponse.SC_FORBIDDEN, "login refused: not sent by the form");
    }
    if (!fromForm) {
      audit.login(user, address, "refused: not sent by the login form");
      return refuse(res, HttpServletResponse.SC_FORBIDDEN, "login refused: not sent by the form");
    }
    String password = Optional.ofNullable(req.getParameter("j_password")).orElse("");
    CredentialValidationResult result =
        config.admin().password().isEmpty()
            ? CredentialValidationResult.INVALID_RESULT
            : identities.validate(new UsernamePasswordCredential(user, password));
    if (result.getStatus() != CredentialValidationResult.Status.VALID) {
      audit.login(user, address, "refused: wrong user or password");
      return ctx.redirect(req.getContextPath() + LOGIN_PAGE + "?failed");
    }
    throttle.succeeded(user, address);
    req.changeSessionId();
    req.getSession().removeAttribute(FORM_TOKEN);
    Cookies.secureSessionCookie(req, res, config.trustedProxies());
    audit.login(user, address, "signed in");
    return ctx.notifyContainerAboutLogin(result);
  }

  private static boolean formTokenMatches(HttpServletRequest req) {
    HttpSession session = req.getSession(false);
    String given = req.getParameter("_form");
    Object expected = session == null ? null : session.getAttribute(FORM_TOKEN);
    return given != null
        && expected instanceof String e
        && MessageDigest.isEqual(
            e.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private static AuthenticationStatus refuse(HttpServletResponse res, int status, String text) {
    try {
      res.setStatus(status);
      res.setContentType("text/plain;charset=UTF-8");
      res.getWriter().println(text);
      res.flushBuffer(); // committed: the runtime cannot turn it into its own 401
    } catch (IOException e) {
      // the client went away; the refusal stands
    }
    return AuthenticationStatus.SEND_CONTINUE; // "the response is written"
  }

  /** The identity of a bearer token holding {@code juggler.admin.token-role}, if one came. */
  private Optional<Identity> tokenAdmin(HttpServletRequest req) {
    if (config.admin().tokenRole().isEmpty() || config.auth().tokens().isEmpty()) {
      return Optional.empty();
    }
    Credentials offered =
        Credentials.of(req::getHeader, name -> null, null, r -> false, config.auth());
    String token = Optional.ofNullable(offered.bearerToken()).orElse(offered.cookieToken());
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    try {
      Identity id = config.auth().tokens().get().verify(token);
      return id.hasRole(config.admin().tokenRole().get()) ? Optional.of(id) : Optional.empty();
    } catch (InvalidTokenException e) {
      return Optional.empty();
    }
  }

  private String address(HttpServletRequest req) {
    return Printable.of(
        config
            .trustedProxies()
            .clientAddress(req.getRemoteAddr(), req.getHeader("X-Forwarded-For")),
        64);
  }
}
