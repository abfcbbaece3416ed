package io.juggler.auth;

import java.security.Principal;
import java.util.function.Predicate;

/**
 * What a handshake request offers to prove who is connecting.
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
}
