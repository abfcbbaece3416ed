package io.juggler.server;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which {@code Origin} may open a websocket (spec 2.1, stricter than the reference). With {@code
 * juggler.server.allowed-origins} set, the header must equal one entry exactly. Without it, the
 * same-origin rule: no {@code Origin} (not a browser) is served; otherwise its scheme, host and
 * port must be the request's own (scheme {@code http} or {@code https} as the client reached the
 * server, through a trusted proxy's {@code X-Forwarded-Proto} where there is one; host and port
 * from {@code Host}, a missing port being the scheme's default). The opaque origin {@code null} (a
 * sandboxed frame, a file) and anything that is not a URL is refused. Immutable.
 */
final class OriginCheck {

  private final List<String> allowed;

  OriginCheck(List<String> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /**
   * Whether a handshake with header {@code origin} (null when absent) may proceed on a request that
   * came over {@code scheme} ({@code http}, {@code https}, or null when the container does not say)
   * with header {@code host}.
   */
  boolean allows(String origin, String scheme, String host) {
    if (!allowed.isEmpty()) {
      return origin != null && allowed.contains(origin);
    }
    return origin == null || sameOrigin(origin, scheme, host);
  }

  static boolean sameOrigin(String origin, String scheme, String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    URI o;
    URI h;
    try {
      o = URI.create(origin);
      h = URI.create("//" + host);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String originScheme = lower(o.getScheme());
    if (!"http".equals(originScheme) && !"https".equals(originScheme)) {
      return false;
    }
    String requestScheme = scheme == null ? originScheme : lower(webScheme(scheme));
    return originScheme.equals(requestScheme)
        && o.getHost() != null
        && o.getHost().equalsIgnoreCase(h.getHost())
        && port(o.getPort(), originScheme) == port(h.getPort(), requestScheme)
        && (o.getRawPath() == null || o.getRawPath().isEmpty())
        && o.getRawUserInfo() == null;
  }

  private static String webScheme(String scheme) {
    return switch (lower(scheme)) {
      case "ws" -> "http";
      case "wss" -> "https";
      default -> scheme;
    };
  }

  private static int port(int given, String scheme) {
    return given >= 0 ? given : "https".equals(scheme) ? 443 : 80;
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
