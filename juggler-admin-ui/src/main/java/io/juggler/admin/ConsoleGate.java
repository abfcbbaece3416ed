package io.juggler.admin;

import io.juggler.config.JugglerConfig;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Answers 404 for everything under {@code /admin/} until {@code juggler.admin.password} (or {@code
 * juggler.admin.token-role}) is set, so a production deployment without either has no console at
 * all (no login page to guess at). Console responses are not cached, not framed, not sniffed, send
 * no referrer, and run no inline script ({@link #CONTENT_SECURITY_POLICY}).
 */
@WebFilter("/admin/*")
public class ConsoleGate extends HttpFilter {

  private static final long serialVersionUID = 1L;

  /**
   * Scripts only from this origin (admin.js, Faces' own script, Chart.js): no inline script or
   * event handler runs, so markup a client managed to get onto a page (a user agent, a channel
   * name) cannot act. Inline style attributes stay allowed (Faces and Chart.js set them).
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'; form-action 'self'";

  @Inject transient JugglerConfig config;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!config.admin().enabled()) {
      res.sendError(
          HttpServletResponse.SC_NOT_FOUND,
          "the operations console is disabled: set " + JugglerConfig.ADMIN_PASSWORD);
      return;
    }
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    chain.doFilter(req, res);
  }
}
