package io.juggler.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.testing.Tokens;
import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {

  static final Tokens IDP = TokenVerifierTest.IDP;
  static final AccessRules RULES =
      AccessRules.parse("CALL billing.* role:billing; SUB user.{name}.* authenticated");

  static AuthSettings settings(AuthMode mode, boolean withKeys, boolean queryToken) {
    return new AuthSettings(
        mode,
        RULES,
        withKeys ? Optional.of(TokenVerifierTest.idp()) : Optional.empty(),
        "Bearer",
        queryToken);
  }

  static Credentials header(String token) {
    return new Credentials("Bearer " + token, null, null, null, r -> false);
  }

  @Test
  void modeNoneMakesEveryoneAnonymousWhateverTheyPresent() {
    AuthSettings none = settings(AuthMode.NONE, true, true);
    assertSame(Identity.ANONYMOUS, none.authenticate(header("garbage")).identity());
    assertSame(Identity.ANONYMOUS, none.authenticate(header(IDP.token("alice"))).identity());
  }

  @Test
  void requiredRefusesAnonymousAndOptionalAdmitsIt() {
    AuthSettings.Outcome refused =
        settings(AuthMode.REQUIRED, true, false).authenticate(Credentials.NONE);
    assertFalse(refused.accepted());
    assertFalse(refused.invalidToken(), "a missing credential is not an invalid token");
    assertEquals("authentication required", refused.reason());
    assertSame(
        Identity.ANONYMOUS,
        settings(AuthMode.OPTIONAL, true, false).authenticate(Credentials.NONE).identity());
  }

  @Test
  void anInvalidTokenIsRefusedEvenWhenAnonymousWouldBeAdmitted() {
    AuthSettings.Outcome o =
        settings(AuthMode.OPTIONAL, true, false)
            .authenticate(header(IDP.token("alice", Duration.ofMinutes(-10))));
    assertFalse(o.accepted());
    assertTrue(o.invalidToken());
    assertEquals("token expired", o.reason());
  }

  @Test
  void theTokenComesFromTheHeaderElseTheQueryElseTheCookie() {
    AuthSettings s = settings(AuthMode.REQUIRED, true, true);
    String a = IDP.token("alice");
    String b = IDP.token("bob");
    String c = IDP.token("carol");
    assertEquals(
        "alice",
        s.authenticate(new Credentials("Bearer " + a, c, b, null, r -> false)).identity().name());
    assertEquals(
        "bob", s.authenticate(new Credentials(null, c, b, null, r -> false)).identity().name());
    assertEquals(
        "carol",
        s.authenticate(new Credentials(null, c, null, null, r -> false)).identity().name());
    assertEquals(
        "alice",
        s.authenticate(new Credentials("bearer  " + a, null, null, null, r -> false))
            .identity()
            .name());
  }

  @Test
  void theQueryParameterIsIgnoredUnlessEnabled() {
    AuthSettings s = settings(AuthMode.REQUIRED, true, false);
    AuthSettings.Outcome o =
        s.authenticate(new Credentials(null, null, IDP.token("alice"), null, r -> false));
    assertFalse(o.accepted());
    assertEquals("authentication required", o.reason());
  }

  @Test
  void aTokenWithoutKeysIsRefusedButACookieOfAnotherAppIsIgnored() {
    AuthSettings s = settings(AuthMode.OPTIONAL, false, false);
    AuthSettings.Outcome o = s.authenticate(header(IDP.token("alice")));
    assertFalse(o.accepted());
    assertTrue(o.reason().contains("mp.jwt.verify.publickey"), o.reason());
    assertSame(
        Identity.ANONYMOUS,
        s.authenticate(new Credentials(null, "something", null, null, r -> false)).identity());
  }

  @Test
  void otherAuthorizationSchemesAreLeftToTheContainer() {
    AuthSettings s = settings(AuthMode.OPTIONAL, true, false);
    assertSame(
        Identity.ANONYMOUS,
        s.authenticate(new Credentials("Basic YWxpY2U6c2VjcmV0", null, null, null, r -> false))
            .identity());
  }

  @Test
  void aContainerLoginIsTheClientWithTheRolesTheRulesName() {
    Principal erin = () -> "erin";
    Set<String> held = Set.of("billing", "admin", "unnamed-by-rules");
    Identity id =
        settings(AuthMode.REQUIRED, false, false)
            .authenticate(new Credentials(null, null, null, erin, held::contains))
            .identity();
    assertEquals("erin", id.name());
    assertEquals(Set.of("billing", "admin"), id.roles());
    assertEquals(0, id.expiresAtMillis(), "a session login has no expiry of its own");
  }

  @Test
  void aTokenWinsOverTheContainerLogin() {
    Principal erin = () -> "erin";
    Identity id =
        settings(AuthMode.REQUIRED, true, false)
            .authenticate(
                new Credentials("Bearer " + IDP.token("alice"), null, null, erin, r -> true))
            .identity();
    assertEquals("alice", id.name());
    assertNull(settings(AuthMode.REQUIRED, true, false).authenticate(header("x.y.z")).identity());
  }
}
