package io.juggler.admin;

import io.juggler.config.JugglerConfig;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The console's sign-in page ({@value ConsoleLogin#LOGIN_PAGE}), made per session so its form
 * carries the session's form token (a login without it is refused: no login CSRF), and the target
 * of the form ({@value ConsoleLogin#LOGIN_ACTION}), which {@link ConsoleLogin} has already checked
 * when the request gets here. No script: the page passes the console's Content-Security-Policy.
 */
@WebServlet({ConsoleLogin.LOGIN_PAGE, ConsoleLogin.LOGIN_ACTION})
public class LoginPage extends HttpServlet {

  private static final long serialVersionUID = 1L;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject transient JugglerConfig config;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    if (req.getServletPath().equals(ConsoleLogin.LOGIN_ACTION)) {
      res.sendRedirect(req.getContextPath() + ConsoleLogin.LOGIN_PAGE);
      return;
    }
    HttpSession session = req.getSession(true);
    String token = (String) session.getAttribute(ConsoleLogin.FORM_TOKEN);
    if (token == null) {
      byte[] b = new byte[32];
      RANDOM.nextBytes(b);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      session.setAttribute(ConsoleLogin.FORM_TOKEN, token);
    }
    Cookies.secureSessionCookie(req, res, config.trustedProxies());
    String message = message(req.getQueryString());
    res.setContentType("text/html;charset=UTF-8");
    PrintWriter out = res.getWriter();
    String ctx = req.getContextPath();
    out.print(
        """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Juggler EE · sign in</title>
          <link rel="stylesheet" href="%1$s/admin/admin.css">
          <link rel="icon" href="%1$s/favicon.svg" type="image/svg+xml">
        </head>
        <body class="login">
          <main>
            <h1>Juggler EE operations console</h1>
        """
            .formatted(ctx));
    if (message != null) {
      out.print("    <p id=\"failed\" class=\"error\">" + message + "</p>\n");
    }
    if (config.admin().password().isPresent()) {
      out.print(
          """
              <form method="post" action="%s/admin/j_security_check">
                <input type="hidden" name="_form" value="%s">
                <label>User <input id="j_username" name="j_username" autocomplete="username" required autofocus></label>
                <label>Password <input id="j_password" name="j_password" type="password" autocomplete="current-password" required></label>
                <button id="sign-in" type="submit">Sign in</button>
              </form>
          """
              .formatted(ctx, token));
    } else {
      out.print(
          "    <p>Sign in through your identity provider: a token with the role <code>"
              + config.admin().tokenRole().orElse("")
              + "</code> opens the console.</p>\n");
    }
    out.print("  </main>\n</body>\n</html>\n");
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
    // reached only after ConsoleLogin accepted the login
    res.sendRedirect(req.getContextPath() + "/admin/");
  }

  /** The fixed message for the outcome named in the query, or null. */
  static String message(String query) {
    if (query == null) {
      return null;
    }
    return switch (query) {
      case "failed" -> "Wrong user name or password.";
      case "locked" -> "Too many failed sign-ins: wait a little and try again.";
      default -> null;
    };
  }
}
