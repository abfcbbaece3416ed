package io.juggler.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.juggler.ConfigurationException;
import io.juggler.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {

  static final Tokens IDP = Tokens.issuer("https://idp.test");
  static final Tokens OTHER_KEY = Tokens.issuer("https://idp.test");

  static TokenVerifier verifier(Map<String, String> settings) {
    return TokenVerifier.from(k -> Optional.ofNullable(settings.get(k))).orElseThrow();
  }

  static TokenVerifier idp() {
    return verifier(IDP.serverSettings());
  }

  static String reason(TokenVerifier v, String token) {
    return assertThrows(InvalidTokenException.class, () -> v.verify(token)).getMessage();
  }

  @Test
  void aValidTokenNamesItsHolderAndRoles() {
    Identity id = idp().verify(IDP.token("alice", "user", "billing"));
    assertEquals("alice", id.name());
    assertEquals(Set.of("user", "billing"), id.roles());
    long expectedExpiry = Instant.now().plus(Duration.ofMinutes(10)).toEpochMilli();
    assertTrue(
        Math.abs(id.expiresAtMillis() - expectedExpiry) < 5_000, "exp " + id.expiresAtMillis());
  }

  @Test
  void theNameIsUpnElsePreferredUsernameElseSub() {
    TokenVerifier v = idp();
    Instant exp = Instant.now().plusSeconds(600);
    assertEquals(
        "bob", v.verify(IDP.sign(Map.of("preferred_username", "bob", "sub", "id-7"), exp)).name());
    assertEquals("id-7", v.verify(IDP.sign(Map.of("sub", "id-7"), exp)).name());
    assertEquals(
        "token names nobody (no upn, preferred_username or sub)",
        reason(v, IDP.sign(Map.of("groups", List.of("user")), exp)));
  }

  @Test
  void aSingleGroupStringIsOneRole() {
    Identity id =
        idp()
            .verify(
                IDP.sign(Map.of("upn", "carol", "groups", "ops"), Instant.now().plusSeconds(60)));
    assertEquals(Set.of("ops"), id.roles());
  }

  @Test
  void tokensOfAnotherKeyIssuerOrAudienceAreRefused() {
    TokenVerifier v = idp();
    assertTrue(reason(v, OTHER_KEY.token("alice", "admin")).startsWith("signature not valid"));
    assertEquals("issuer not accepted", reason(v, IDP.as("https://evil.test").token("alice")));
    assertEquals("audience not accepted", reason(v, IDP.forAudience("other").token("alice")));
  }

  /**
   * Third hardening round, item 9: a token signed with another key learnt where the keys come from
   * (a URL that may hold credentials) from the 401; the start-up log printed it as configured.
   */
  @Test
  void refusalsNeverNameWhereTheKeysComeFrom(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("secret-folder-key.pem");
    Files.writeString(pem, IDP.publicKeyPem());
    Map<String, String> settings = new HashMap<>(IDP.serverSettings());
    settings.remove(TokenVerifier.PUBLIC_KEY);
    settings.put(TokenVerifier.PUBLIC_KEY_LOCATION, pem.toString());
    TokenVerifier v = verifier(settings);
    assertEquals("signature not valid", reason(v, OTHER_KEY.token("alice")));

    // a key set URL with credentials (nothing listens there): masked in what is logged, the client
    // only learns that its token could not be checked
    try (var closed = new java.net.ServerSocket(0)) {
      int port = closed.getLocalPort();
      closed.close();
      settings.put(
          TokenVerifier.PUBLIC_KEY_LOCATION, "http://jwks:hunter2@127.0.0.1:" + port + "/certs");
      TokenVerifier remote = verifier(settings);
      assertTrue(remote.toString().contains("//***@127.0.0.1"), remote.toString());
      assertTrue(!remote.toString().contains("hunter2"), remote.toString());
      assertEquals("token could not be checked", reason(remote, IDP.token("alice")));
    }
  }

  @Test
  void settingsWithoutIssuerOrAudienceAreNamedAsWeak() {
    assertEquals(List.of(), idp().weaknesses());
    Map<String, String> open = new HashMap<>(IDP.serverSettings());
    open.remove(TokenVerifier.ISSUER);
    open.remove(TokenVerifier.AUDIENCES);
    List<String> weak = verifier(open).weaknesses();
    assertEquals(2, weak.size(), weak.toString());
    assertTrue(weak.get(0).startsWith(TokenVerifier.ISSUER + " is not set"), weak.get(0));
    assertTrue(weak.get(1).startsWith(TokenVerifier.AUDIENCES + " is not set"), weak.get(1));
  }

  @Test
  void expiredTokensAreRefusedBeyondTheClockSkew() {
    TokenVerifier v = idp();
    assertEquals("token expired", reason(v, IDP.token("alice", Duration.ofMinutes(-5), "user")));
    // within the default 60 s of skew: still accepted
    assertEquals("alice", v.verify(IDP.token("alice", Duration.ofSeconds(-20), "user")).name());
    Map<String, String> strict = new HashMap<>(IDP.serverSettings());
    strict.put(TokenVerifier.CLOCK_SKEW, "0");
    assertEquals(
        "token expired", reason(verifier(strict), IDP.token("alice", Duration.ofSeconds(-20))));
  }

  @Test
  void aTokenWithoutExpiryIsRefused() {
    assertEquals("token without exp", reason(idp(), IDP.sign(Map.of("upn", "alice"), null)));
  }

  @Test
  void unsignedAndSymmetricallySignedTokensAreRefused() throws Exception {
    TokenVerifier v = idp();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(IDP.issuer())
            .audience(IDP.audience())
            .claim("upn", "mallory")
            .claim("groups", List.of("admin"))
            .expirationTime(Date.from(Instant.now().plusSeconds(600)))
            .build();
    assertEquals("unsigned tokens are not accepted", reason(v, new PlainJWT(claims).serialize()));
    // the classic confusion: HMAC keyed with the (public) verification key
    SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    hmac.sign(new MACSigner(IDP.publicKeyPem().getBytes(StandardCharsets.UTF_8)));
    assertTrue(reason(v, hmac.serialize()).startsWith("signature not valid"));
    assertEquals("not a signed JWT", reason(v, "not-a-token"));
    assertEquals("not a signed JWT", reason(v, "a.b.c"));
  }

  @Test
  void aTamperedPayloadIsRefused() {
    String[] parts = IDP.token("alice", "user").split("\\.");
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace("\"user\"", "\"admin\"")
                    .getBytes(StandardCharsets.UTF_8));
    assertTrue(
        reason(idp(), parts[0] + "." + forged + "." + parts[2]).startsWith("signature not valid"));
  }

  @Test
  void keysAreReadAsPemJwkOrJwkSetFromTheSettingOrAFile(@TempDir Path dir) throws Exception {
    String token = IDP.token("alice", "user");
    Map<String, String> jwks = new HashMap<>(Map.of(TokenVerifier.PUBLIC_KEY, IDP.publicJwks()));
    assertEquals("alice", verifier(jwks).verify(token).name());
    Path pem = dir.resolve("key.pem");
    Files.writeString(
        pem,
        IDP.publicKeyPem()
            .replace("-----BEGIN PUBLIC KEY-----", "-----BEGIN PUBLIC KEY-----\n")
            .replace("-----END PUBLIC KEY-----", "\n-----END PUBLIC KEY-----\n"));
    assertEquals(
        "alice",
        verifier(Map.of(TokenVerifier.PUBLIC_KEY_LOCATION, pem.toString())).verify(token).name());
    Path set = dir.resolve("jwks.json");
    Files.writeString(set, IDP.publicJwks());
    assertEquals(
        "alice",
        verifier(Map.of(TokenVerifier.PUBLIC_KEY_LOCATION, set.toUri().toString()))
            .verify(token)
            .name());
  }

  @Test
  void es256KeysWork() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.ES256),
            new JWTClaimsSet.Builder()
                .claim("upn", "dave")
                .expirationTime(Date.from(Instant.now().plusSeconds(60)))
                .build());
    jwt.sign(new ECDSASigner(ec));
    Map<String, String> settings =
        Map.of(
            TokenVerifier.PUBLIC_KEY,
            ec.toPublicJWK().toJSONString(),
            TokenVerifier.ALGORITHM,
            "ES256");
    assertEquals("dave", verifier(settings).verify(jwt.serialize()).name());
    // an RS256 verifier refuses the same token
    assertTrue(reason(idp(), jwt.serialize()).startsWith("signature not valid"));
  }

  @Test
  void nothingConfiguredMeansNoVerifier() {
    assertTrue(TokenVerifier.from(k -> Optional.empty()).isEmpty());
  }

  @Test
  void badSettingsStopTheDeploymentNamingTheKey() {
    Map<String, Map<String, String>> bad = new LinkedHashMap<>();
    bad.put(TokenVerifier.PUBLIC_KEY, Map.of(TokenVerifier.PUBLIC_KEY, "not a key"));
    bad.put(
        TokenVerifier.PUBLIC_KEY_LOCATION,
        Map.of(TokenVerifier.PUBLIC_KEY_LOCATION, "/no/such/key.pem"));
    bad.put(
        TokenVerifier.ALGORITHM,
        Map.of(TokenVerifier.PUBLIC_KEY, IDP.publicKeyPem(), TokenVerifier.ALGORITHM, "HS256"));
    bad.put(
        TokenVerifier.CLOCK_SKEW,
        Map.of(TokenVerifier.PUBLIC_KEY, IDP.publicKeyPem(), TokenVerifier.CLOCK_SKEW, "soon"));
    bad.put(
        TokenVerifier.DECRYPT_KEY_LOCATION,
        Map.of(TokenVerifier.DECRYPT_KEY_LOCATION, "/keys/private.pem"));
    bad.put(
        "both",
        Map.of(
            TokenVerifier.PUBLIC_KEY, IDP.publicKeyPem(), TokenVerifier.PUBLIC_KEY_LOCATION, "/k"));
    bad.forEach(
        (key, settings) -> {
          String m =
              assertThrows(ConfigurationException.class, () -> verifier(settings), key)
                  .getMessage();
          assertTrue(
              m.contains(key.equals("both") ? TokenVerifier.PUBLIC_KEY_LOCATION : key),
              key + ": " + m);
        });
  }

  @Test
  void validTokensAreRememberedUntilTheyExpire() {
    MutableClock clock = new MutableClock(Instant.now());
    Map<String, String> settings = new HashMap<>(IDP.serverSettings());
    settings.put(TokenVerifier.CLOCK_SKEW, "0");
    TokenVerifier v =
        TokenVerifier.from(k -> Optional.ofNullable(settings.get(k)), clock, 100).orElseThrow();
    String token = IDP.token("alice", Duration.ofSeconds(30), "user");
    v.verify(token);
    v.verify(token);
    assertEquals(1, v.remembered());
    assertThrows(
        InvalidTokenException.class, () -> v.verify(IDP.token("x", Duration.ofMinutes(-1))));
    assertEquals(1, v.remembered(), "refused tokens are not remembered");
    clock.now = clock.now.plusSeconds(31);
    assertEquals("token expired", reason(v, token));
    assertEquals(0, v.remembered());
  }

  @Test
  void theCacheIsBounded() {
    Map<String, String> settings = IDP.serverSettings();
    TokenVerifier v =
        TokenVerifier.from(k -> Optional.ofNullable(settings.get(k)), Clock.systemUTC(), 16)
            .orElseThrow();
    for (int i = 0; i < 40; i++) {
      assertEquals("user" + i, v.verify(IDP.token("user" + i)).name());
    }
    assertEquals(16, v.remembered());
  }

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
