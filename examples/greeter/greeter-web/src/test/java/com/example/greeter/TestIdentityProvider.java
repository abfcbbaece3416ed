// SPDX-License-Identifier: Apache-2.0
package com.example.greeter;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Stands in for your identity provider: an RSA key made for the run, and RS256 JWTs signed with it
 * (JDK only). {@link #serverSettings()} is what a Juggler EE server needs to accept them.
 */
final class TestIdentityProvider {

  static final String ISSUER = "https://idp.example.test";
  static final String AUDIENCE = "greeter";

  private final KeyPair keys;

  TestIdentityProvider() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Authentication optional (anonymous clients still connect; a token presented must be valid),
   * tokens verified with this provider's public key, issuer and audience: environment variables for
   * the MicroProfile Config keys of docs/configuration.md.
   */
  Map<String, String> serverSettings() {
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
    return Map.of(
        "JUGGLER_AUTH_MODE", "optional",
        "MP_JWT_VERIFY_PUBLICKEY", pem,
        "MP_JWT_VERIFY_ISSUER", ISSUER,
        "MP_JWT_VERIFY_AUDIENCES", AUDIENCE);
  }

  /** A token for {@code user} with {@code groups} as roles, valid for five minutes. */
  String token(String user, List<String> groups) {
    Instant now = Instant.now();
    JsonArrayBuilder roles = Json.createArrayBuilder();
    groups.forEach(roles::add);
    String header =
        Json.createObjectBuilder().add("alg", "RS256").add("typ", "JWT").build().toString();
    String claims =
        Json.createObjectBuilder()
            .add("iss", ISSUER)
            .add("aud", AUDIENCE)
            .add("sub", user)
            .add("upn", user)
            .add("groups", roles)
            .add("iat", now.getEpochSecond())
            .add("exp", now.plus(Duration.ofMinutes(5)).getEpochSecond())
            .build()
            .toString();
    String signed = base64url(header) + "." + base64url(claims);
    try {
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(keys.getPrivate());
      rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
