package io.juggler.server;

import io.juggler.auth.AuthSettings;
import io.juggler.auth.Credentials;
import io.juggler.auth.Identity;
import io.juggler.config.JugglerConfig;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Authenticates websocket upgrade requests to {@code /ws} before the container upgrades them, so a
 * client that must not connect gets a plain HTTP 401 (with {@code WWW-Authenticate: Bearer}) and
 * never a websocket: {@code juggler.auth.mode=required} without a credential, or any mode but
 * {@code none} with an invalid token (see {@link AuthSettings#authenticate}). It also works out the
 * client's address ({@code juggler.server.trusted-proxies}).
 *
 * <p>What it found reaches {@link JugglerConfigurator#modifyHandshake}, which both runtimes call on
 * this same thread while the request passes down the chain, through {@link #current()}. Where a
 * container upgraded a request without this filter, the configurator authenticates it itself and
 * the endpoint closes a refused one with 1008.
 */
@WebFilter(urlPatterns = "/ws", asyncSupported = true)
public class HandshakeFilter implements Filter {

  private static final Logger LOG = Logger.getLogger(HandshakeFilter.class.getName());
  private static final ThreadLocal<Handshake> CURRENT = new ThreadLocal<>();

  /** What the filter decided for the upgrade request being handled on this thread. */
  record Handshake(String address, Identity identity) {}

  @Inject JugglerConfig config;
  @Inject ServerMetrics metrics;

  /** The handshake the filter let through on this thread, or null outside one. */
  static Handshake current() {
    return CURRENT.get();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http)
        || !(response instanceof HttpServletResponse out)
        || !"websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
      chain.doFilter(request, response);
      return;
    }
    String address =
        config
            .trustedProxies()
            .clientAddress(http.getRemoteAddr(), http.getHeader("X-Forwarded-For"));
    AuthSettings.Outcome outcome = config.auth().authenticate(credentials(http, config.auth()));
    if (!outcome.accepted()) {
      metrics.authRefused("CONNECT");
      LOG.log(
          Level.FINE, "handshake from {0} refused: {1}", new Object[] {address, outcome.reason()});
      refuse(out, outcome);
      return;
    }
    CURRENT.set(new Handshake(address, outcome.identity()));
    try {
      chain.doFilter(request, response);
    } finally {
      CURRENT.remove();
    }
  }

  static Credentials credentials(HttpServletRequest http, AuthSettings auth) {
    String cookie = null;
    Cookie[] cookies = http.getCookies();
    if (cookies != null) {
      for (Cookie c : cookies) {
        if (c.getName().equals(auth.tokenCookie())) {
          cookie = c.getValue();
        }
      }
    }
    return new Credentials(
        http.getHeader("Authorization"),
        cookie,
        auth.queryToken() ? http.getParameter(AuthSettings.QUERY_PARAMETER) : null,
        http.getUserPrincipal(),
        http::isUserInRole);
  }

  /** 401 with the challenge of RFC 6750 (an error code only when a token was presented). */
  private static void refuse(HttpServletResponse out, AuthSettings.Outcome refusal)
      throws IOException {
    String challenge = "Bearer realm=\"juggler\"";
    if (refusal.invalidToken()) {
      challenge +=
          ", error=\"invalid_token\", error_description=\""
              + refusal.reason().replaceAll("[\"\\\\\\p{Cntrl}]", "'")
              + "\"";
    }
    out.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    out.setHeader("WWW-Authenticate", challenge);
    out.setContentType("text/plain;charset=UTF-8");
    byte[] body = (refusal.reason() + "\n").getBytes(StandardCharsets.UTF_8);
    out.setContentLength(body.length);
    out.getOutputStream().write(body);
  }
}
