package io.juggler.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A signing key made for one test run and the signed bearer tokens (RS256 JWTs) it issues, as an
 * identity provider would: {@code Tokens.issuer("https://idp.test").token("alice", "user")}. The
 * server under test is given {@link #publicKeyPem()} as {@code mp.jwt.verify.publickey}.
 */
public final class Tokens {

  private final RSAKey key;
  private final String issuer;
  private final String audience;

  private Tokens(RSAKey key, String issuer, String audience) {
    this.key = key;
    this.issuer = issuer;
    this.audience = audience;
  }

  /** A fresh 2048-bit key issuing tokens as {@code issuer} for the audience {@code juggler}. */
  public static Tokens issuer(String issuer) {
    try {
      return new Tokens(
          new RSAKeyGenerator(2048).keyID("test-" + issuer.hashCode()).generate(),
          issuer,
          "juggler");
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same key issuing as {@code otherIssuer} (a token the server must refuse). */
  public Tokens as(String otherIssuer) {
    return new Tokens(key, otherIssuer, audience);
  }

  /** The same key issuing for {@code otherAudience}. */
  public Tokens forAudience(String otherAudience) {
    return new Tokens(key, issuer, otherAudience);
  }

  public String issuer() {
    return issuer;
  }

  public String audience() {
    return audience;
  }

  /** The public key as one line of PEM, as a properties file can hold it. */
  public String publicKeyPem() {
    try {
      return "-----BEGIN PUBLIC KEY-----"
          + Base64.getEncoder().encodeToString(key.toRSAPublicKey().getEncoded())
          + "-----END PUBLIC KEY-----";
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as a JWK set (JSON). */
  public String publicJwks() {
    return "{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}";
  }

  /** A token for {@code upn} with {@code groups}, valid for ten minutes. */
  public String token(String upn, String... groups) {
    return token(upn, Duration.ofMinutes(10), groups);
  }

  /**
   * A token for {@code upn} with {@code groups} that expires {@code ttl} from now (negative: past).
   */
  public String token(String upn, Duration ttl, String... groups) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("upn", upn);
    claims.put("groups", List.of(groups));
    return sign(claims, Instant.now().plus(ttl));
  }

  /** A token with exactly {@code claims} besides iss, aud, iat and exp ({@code exp} null: none). */
  public String sign(Map<String, Object> claims, Instant exp) {
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .issueTime(new Date())
            .expirationTime(exp == null ? null : Date.from(exp));
    claims.forEach(b::claim);
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), b.build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The settings a server needs to accept this issuer's tokens (MicroProfile JWT keys). */
  public Map<String, String> serverSettings() {
    return Map.of(
        "mp.jwt.verify.publickey", publicKeyPem(),
        "mp.jwt.verify.issuer", issuer,
        "mp.jwt.verify.audiences", audience);
  }
}
