package io.juggler.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How every entry point reads a request's credentials. */
class CredentialsTest {

  static final AuthSettings NO_QUERY =
      new AuthSettings(AuthMode.OPTIONAL, AccessRules.NONE, Optional.empty(), "Bearer", false);
  static final AuthSettings QUERY =
      new AuthSettings(AuthMode.OPTIONAL, AccessRules.NONE, Optional.empty(), "jwt", true);

  @Test
  void theHeaderTheCookieAndWhereAllowedTheQueryAreRead() {
    Map<String, String> headers =
        Map.of("Authorization", "Bearer h", "Cookie", "a=1; Bearer=c; jwt=\"q-cookie\"");
    Map<String, String> params = Map.of("access_token", "q");
    Credentials plain = Credentials.of(headers::get, params::get, null, r -> false, NO_QUERY);
    assertEquals("Bearer h", plain.authorization());
    assertEquals("c", plain.cookieToken());
    assertNull(plain.queryToken(), "the query token only where juggler.auth.query-token is set");
    Credentials query = Credentials.of(headers::get, params::get, null, r -> false, QUERY);
    assertEquals("q", query.queryToken());
    assertEquals("q-cookie", query.cookieToken(), "the cookie that mp.jwt.token.cookie names");
  }

  @Test
  void theTokenCookieIsFoundAmongOthers() {
    assertEquals("t0k", Credentials.cookie("a=1; Bearer=t0k; b=2", "Bearer"));
    assertEquals("t0k", Credentials.cookie("Bearer=\"t0k\"", "Bearer"));
    assertEquals("x", Credentials.cookie("XBearer=no;Bearer=x", "Bearer"));
    assertNull(Credentials.cookie("a=1; b=2", "Bearer"));
    assertNull(Credentials.cookie(null, "Bearer"));
  }

  @Test
  void aBearerTokenIsTheHeadersOnlyForTheBearerScheme() {
    assertEquals("abc", header("Bearer abc").bearerToken());
    assertEquals("abc", header("bearer   abc ").bearerToken());
    assertNull(header("Basic abc").bearerToken());
    assertNull(header("Bearer ").bearerToken());
    assertNull(header(null).bearerToken());
  }

  private static Credentials header(String authorization) {
    return new Credentials(authorization, null, null, null, r -> false);
  }
}
