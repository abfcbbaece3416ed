package io.juggler.auth;

import java.util.Set;

/**
 * Who a connection's client is: a name and roles once authenticated (a bearer token or the HTTP
 * session of this application), or {@link #ANONYMOUS}.
 *
 * @param name the principal's name ({@code upn}, {@code preferred_username} or {@code sub} of a
 *     token); empty when anonymous
 * @param roles the principal's roles (a token's {@code groups} claim); empty when anonymous
 * @param expiresAtMillis epoch milliseconds when its credential expires (a token's {@code exp}), 0
 *     when it does not
 */
public record Identity(String name, Set<String> roles, long expiresAtMillis) {

  /** A client that presented no credential. */
  public static final Identity ANONYMOUS = new Identity("", Set.of(), 0);

  public Identity {
    roles = Set.copyOf(roles);
  }

  public boolean isAuthenticated() {
    return !name.isEmpty();
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  @Override
  public String toString() {
    return isAuthenticated() ? "user=" + name : "anonymous";
  }
}
