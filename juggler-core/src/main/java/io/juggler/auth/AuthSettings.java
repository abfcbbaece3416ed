package io.juggler.auth;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * How clients authenticate at the handshake, and what each may do afterwards.
 *
 * @param mode {@code juggler.auth.mode}
 * @param rules {@code juggler.auth.rules}
 * @param tokens the bearer-token verifier of the {@code mp.jwt.verify.*} settings, if any
 * @param tokenCookie the cookie that may carry the token ({@code mp.jwt.token.cookie})
 * @param queryToken whether the {@code access_token} query parameter may carry it ({@code
 *     juggler.auth.query-token})
 */
public record AuthSettings(
    AuthMode mode,
    AccessRules rules,
    Optional<TokenVerifier> tokens,
    String tokenCookie,
    boolean queryToken) {

  /** The query parameter of {@link #queryToken} (RFC 6750, section 2.3). */
  public static final String QUERY_PARAMETER = "access_token";

  /** The role a container login must have to be seen as an operator, whatever the rules name. */
  public static final String ADMIN_ROLE = "admin";

  /** No authentication, no rules: the reference's behaviour. */
  public static final AuthSettings NONE =
      new AuthSettings(AuthMode.NONE, AccessRules.NONE, Optional.empty(), "Bearer", false);

  /**
   * What became of a handshake's credentials: an identity, or a refusal (HTTP 401).
   *
   * @param identity who the client is, or null when refused
   * @param invalidToken whether the refusal is for a token presented (RFC 6750's {@code
   *     invalid_token}) rather than for a missing credential
   * @param reason why it was refused (never quoting the credential)
   */
  public record Outcome(Identity identity, boolean invalidToken, String reason) {

    static Outcome accepted(Identity identity) {
      return new Outcome(identity, false, "");
    }

    static Outcome invalid(String reason) {
      return new Outcome(null, true, reason);
    }

    public boolean accepted() {
      return identity != null;
    }
  }

  /**
   * Who {@code c} proves the client to be. A bearer token is taken from the {@code Authorization}
   * header, else the query parameter (when allowed), else the cookie; it must be valid (401
   * otherwise, whatever the mode). Without a token, the container's logged-in user is the client,
   * with those of the roles the rules name (and {@value #ADMIN_ROLE}) it holds. Without either, the
   * client is anonymous, which {@link AuthMode#REQUIRED} refuses. With {@link AuthMode#NONE} every
   * client is anonymous.
   */
  public Outcome authenticate(Credentials c) {
    if (mode == AuthMode.NONE) {
      return Outcome.accepted(Identity.ANONYMOUS);
    }
    String token = c.bearerToken();
    boolean fromCookie = false;
    if (token == null && queryToken) {
      token = Credentials.blankToNull(c.queryToken());
    }
    if (token == null) {
      token = Credentials.blankToNull(c.cookieToken());
      fromCookie = token != null;
    }
    if (token != null) {
      if (tokens.isPresent()) {
        try {
          return Outcome.accepted(tokens.get().verify(token));
        } catch (InvalidTokenException e) {
          return Outcome.invalid(e.getMessage());
        }
      }
      if (!fromCookie) {
        return Outcome.invalid("bearer tokens are not accepted here (no mp.jwt.verify.publickey)");
      }
    }
    if (c.principal() != null && !c.principal().getName().isEmpty()) {
      Set<String> roles = new LinkedHashSet<>();
      for (String role : rolesToProbe()) {
        if (c.inRole().test(role)) {
          roles.add(role);
        }
      }
      return Outcome.accepted(new Identity(c.principal().getName(), roles, 0));
    }
    if (mode == AuthMode.REQUIRED) {
      return new Outcome(null, false, "authentication required");
    }
    return Outcome.accepted(Identity.ANONYMOUS);
  }

  private Set<String> rolesToProbe() {
    Set<String> roles = new LinkedHashSet<>(rules.roleNames());
    roles.add(ADMIN_ROLE);
    return roles;
  }
}
