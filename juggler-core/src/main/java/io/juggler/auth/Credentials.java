package io.juggler.auth;

import java.security.Principal;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a request offers to prove who is making it.
 *
 * @param authorization the {@code Authorization} header, or null
 * @param cookieToken the value of the token cookie ({@code mp.jwt.token.cookie}), or null
 * @param queryToken the {@code access_token} query parameter, or null
 * @param principal the container's authenticated user for this request (an HTTP session logged in
 *     by any Jakarta Security mechanism), or null
 * @param inRole the container's role check for that user ({@code HttpServletRequest::isUserInRole})
 */
public record Credentials(
    String authorization,
    String cookieToken,
    String queryToken,
    Principal principal,
    Predicate<String> inRole) {

  /** A request that offers nothing. */
  public static final Credentials NONE = new Credentials(null, null, null, null, r -> false);

  /**
   * The credentials of a request, read the one way every entry point reads them (the websocket
   * handshake's filter, the configurator where a container has no filter, the console): the {@code
   * Authorization} header, the cookie {@code auth.tokenCookie()} from the {@code Cookie} header,
   * and the query parameter {@value AuthSettings#QUERY_PARAMETER} only where {@code
   * auth.queryToken()}.
   *
   * @param header the request's header of a name (its first value), or null
   * @param parameter the request's query parameter of a name, or null
   * @param principal the container's user for the request, or null
   * @param inRole the container's role check for that user
   */
  public static Credentials of(
      Function<String, String> header,
      Function<String, String> parameter,
      Principal principal,
      Predicate<String> inRole,
      AuthSettings auth) {
    return new Credentials(
        header.apply("Authorization"),
        cookie(header.apply("Cookie"), auth.tokenCookie()),
        auth.queryToken() ? parameter.apply(AuthSettings.QUERY_PARAMETER) : null,
        principal,
        inRole);
  }

  /** The token of a {@code Bearer} {@link #authorization} header, or null. */
  public String bearerToken() {
    if (authorization == null || authorization.length() < 7) {
      return null;
    }
    String scheme = authorization.substring(0, 7).toLowerCase(Locale.ROOT);
    return scheme.equals("bearer ") ? blankToNull(authorization.substring(7).trim()) : null;
  }

  /** The value of cookie {@code name} in a {@code Cookie} header (quotes removed), or null. */
  static String cookie(String header, String name) {
    if (header == null) {
      return null;
    }
    for (String pair : header.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
        String v = pair.substring(eq + 1).trim();
        return v.length() > 1 && v.startsWith("\"") && v.endsWith("\"")
            ? v.substring(1, v.length() - 1)
            : v;
      }
    }
    return null;
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
