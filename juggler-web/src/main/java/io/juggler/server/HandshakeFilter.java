package io.juggler.server;

import io.juggler.auth.AuthSettings;
import io.juggler.auth.Credentials;
import io.juggler.auth.Identity;
import io.juggler.config.JugglerConfig;
import io.juggler.message.Protocol;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides on websocket upgrade requests to {@code /ws} before the container upgrades them, so a
 * client that must not connect gets a plain HTTP answer, its connection is closed, and no websocket
 * (with its socket, session and thread) ever exists:
 *
 * <ol>
 *   <li>a client that does not offer the subprotocol {@code juggler.0} gets <b>400</b> (unless
 *       {@code juggler.server.allow-empty-subprotocol});
 *   <li>an {@code Origin} that {@link OriginCheck} refuses gets <b>403</b>;
 *   <li>a credential that {@link AuthSettings#authenticate} refuses gets <b>401</b> with {@code
 *       WWW-Authenticate: Bearer}: {@code juggler.auth.mode=required} without a credential, or any
 *       mode but {@code none} with an invalid token.
 * </ol>
 *
 * Each refusal carries {@code Connection: close} and a one-line text body, and is counted ({@code
 * juggler_handshakes_refused_total}, {@code juggler_auth_refused_total{action="CONNECT"}}). It also
 * works out the client's address ({@code juggler.server.trusted-proxies}).
 *
 * <p>What it found reaches {@link JugglerConfigurator#modifyHandshake}, which both runtimes call on
 * this same thread while the request passes down the chain, through {@link #current()}. Where a
 * container upgraded a request without this filter, the configurator and the endpoint make the same
 * checks after the handshake and close a refused connection (1002, 1008).
 */
@WebFilter(urlPatterns = "/ws", asyncSupported = true)
public class HandshakeFilter implements Filter {

  private static final Logger LOG = Logger.getLogger(HandshakeFilter.class.getName());
  private static final ThreadLocal<Handshake> CURRENT = new ThreadLocal<>();

  /** What the filter decided for the upgrade request being handled on this thread. */
  record Handshake(String address, Identity identity) {}

  /** Why a handshake that does not offer {@code juggler.0} is refused (400, or close 1002). */
  static final String SUBPROTOCOL_REQUIRED = "subprotocol " + Protocol.SUBPROTOCOL + " required";

  /** Why a handshake from a foreign origin is refused (403, or close 1008). */
  static final String ORIGIN_NOT_ALLOWED = "origin not allowed";

  @Inject JugglerConfig config;
  @Inject ServerMetrics metrics;

  private OriginCheck origins;

  @Override
  public void init(FilterConfig filterConfig) {
    origins = new OriginCheck(config.server().allowedOrigins());
  }

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
    if (!config.server().allowEmptySubprotocol() && !offersSubprotocol(http)) {
      refuse(out, address, HttpServletResponse.SC_BAD_REQUEST, "subprotocol", SUBPROTOCOL_REQUIRED);
      return;
    }
    if (!origins.allows(http.getHeader("Origin"), scheme(http), http.getHeader("Host"))) {
      refuse(out, address, HttpServletResponse.SC_FORBIDDEN, "origin", ORIGIN_NOT_ALLOWED);
      return;
    }
    AuthSettings.Outcome outcome =
        config
            .auth()
            .authenticate(
                Credentials.of(
                    http::getHeader,
                    http::getParameter,
                    http.getUserPrincipal(),
                    http::isUserInRole,
                    config.auth()));
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

  /** Whether one of the {@code Sec-WebSocket-Protocol} headers lists {@code juggler.0}. */
  static boolean offersSubprotocol(HttpServletRequest http) {
    Enumeration<String> headers = http.getHeaders("Sec-WebSocket-Protocol");
    while (headers != null && headers.hasMoreElements()) {
      for (String token : headers.nextElement().split(",")) {
        if (token.trim().equals(Protocol.SUBPROTOCOL)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The scheme the client used: the request's, or a trusted proxy's {@code X-Forwarded-Proto}. */
  private String scheme(HttpServletRequest http) {
    return config
            .trustedProxies()
            .overTls(http.isSecure(), http.getRemoteAddr(), http.getHeader("X-Forwarded-Proto"))
        ? "https"
        : "http";
  }

  private void refuse(
      HttpServletResponse out, String address, int status, String reason, String text)
      throws IOException {
    metrics.handshakeRefused(reason);
    LOG.log(Level.FINE, "handshake from {0} refused: {1}", new Object[] {address, text});
    answer(out, status, text);
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
    out.setHeader("WWW-Authenticate", challenge);
    answer(out, HttpServletResponse.SC_UNAUTHORIZED, refusal.reason());
  }

  /**
   * A refusal: {@code status}, {@code text} as the body, and the connection closed once it is
   * written (a refused client has nothing more to say on it).
   */
  private static void answer(HttpServletResponse out, int status, String text) throws IOException {
    out.setStatus(status);
    out.setHeader("Connection", "close");
    out.setContentType("text/plain;charset=UTF-8");
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    out.setContentLength(body.length);
    out.getOutputStream().write(body);
    out.flushBuffer();
  }
}
