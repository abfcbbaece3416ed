package io.juggler.admin;

import io.juggler.auth.TrustedProxies;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The console's session cookie: {@code SameSite=Strict} and {@code HttpOnly} always, and {@code
 * Secure} whenever the request came over TLS, directly or through a trusted proxy ({@code
 * X-Forwarded-Proto: https} from one of {@code juggler.server.trusted-proxies}).
 */
final class Cookies {

  private Cookies() {}

  /** Whether {@code req} came over TLS, directly or through a trusted proxy. */
  static boolean overTls(HttpServletRequest req, TrustedProxies proxies) {
    return proxies.overTls(req.isSecure(), req.getRemoteAddr(), req.getHeader("X-Forwarded-Proto"));
  }

  /**
   * Adds the missing attributes to the session cookie {@code res} is about to set (right after the
   * session was created or its id changed, before anything is written).
   */
  static void secureSessionCookie(
      HttpServletRequest req, HttpServletResponse res, TrustedProxies proxies) {
    if (res.isCommitted()) {
      return;
    }
    SessionCookieConfig config = req.getServletContext().getSessionCookieConfig();
    String name = config.getName() == null ? "JSESSIONID" : config.getName();
    boolean tls = overTls(req, proxies);
    List<String> cookies = new ArrayList<>(res.getHeaders("Set-Cookie"));
    boolean changed = false;
    for (int i = 0; i < cookies.size(); i++) {
      String c = cookies.get(i);
      if (!c.startsWith(name + "=")) {
        continue;
      }
      String lower = c.toLowerCase(Locale.ROOT);
      String fixed = c;
      if (!lower.contains("samesite")) {
        fixed += "; SameSite=Strict";
      }
      if (!lower.contains("httponly")) {
        fixed += "; HttpOnly";
      }
      if (tls && !lower.contains("secure")) {
        fixed += "; Secure";
      }
      if (!fixed.equals(c)) {
        cookies.set(i, fixed);
        changed = true;
      }
    }
    if (changed) {
      res.setHeader("Set-Cookie", cookies.get(0));
      for (int i = 1; i < cookies.size(); i++) {
        res.addHeader("Set-Cookie", cookies.get(i));
      }
    }
  }
}
