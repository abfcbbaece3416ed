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
 * Answers 404 for everything under {@code /admin/} until {@code juggler.admin.password} is set, so
 * a production deployment without a password has no console at all (no login page to guess at).
 */
@WebFilter("/admin/*")
public class ConsoleGate extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Inject transient JugglerConfig config;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!config.adminEnabled()) {
      res.sendError(
          HttpServletResponse.SC_NOT_FOUND,
          "the operations console is disabled: set " + JugglerConfig.ADMIN_PASSWORD);
      return;
    }
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Frame-Options", "DENY");
    chain.doFilter(req, res);
  }
}
