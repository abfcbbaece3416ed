package io.juggler.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.juggler.ConfigurationException;
import io.juggler.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Checks signed bearer tokens (JWS-signed JWTs) with the standard MicroProfile JWT settings, so a
 * deployment that already configures {@code mp.jwt.verify.*} for its REST resources uses the same
 * keys for its websocket clients:
 *
 * <ul>
 *   <li>{@code mp.jwt.verify.publickey}: the key itself, as PEM ({@code -----BEGIN PUBLIC
 *       KEY-----}), a JWK or a JWK set; or {@code mp.jwt.verify.publickey.location}: a file path, a
 *       {@code file:} or {@code classpath:} location holding one of those, or an {@code http(s):}
 *       URL of a JWK set (fetched when first needed, cached and refreshed);
 *   <li>{@code mp.jwt.verify.publickey.algorithm}: {@code RS256} (default), {@code ES256}, or
 *       another RSA or EC signature algorithm;
 *   <li>{@code mp.jwt.verify.issuer}: the {@code iss} claim must equal it (when set);
 *   <li>{@code mp.jwt.verify.audiences}: the {@code aud} claim must hold one of them (when set);
 *   <li>{@code mp.jwt.verify.clock.skew}: seconds of tolerance on {@code exp}, {@code nbf} and
 *       {@code iat} (default 60); {@code mp.jwt.verify.token.age}: seconds a token is accepted
 *       after its {@code iat} (when set).
 * </ul>
 *
 * A token must carry {@code exp}. Its holder's name is its {@code upn}, else {@code
 * preferred_username}, else {@code sub}; its roles are its {@code groups}. Encrypted tokens (JWE,
 * {@code mp.jwt.decrypt.*}) are not supported and stop the deployment.
 *
 * <p>Valid tokens are remembered (by SHA-256, at most {@value #CACHE_SIZE}) until they expire, so a
 * reconnecting client costs a hash, not a signature check (except with {@code
 * mp.jwt.verify.token.age}, where every check is a full one). Thread-safe.
 */
public final class TokenVerifier {

  public static final String PUBLIC_KEY = "mp.jwt.verify.publickey";
  public static final String PUBLIC_KEY_LOCATION = "mp.jwt.verify.publickey.location";
  public static final String ALGORITHM = "mp.jwt.verify.publickey.algorithm";
  public static final String ISSUER = "mp.jwt.verify.issuer";
  public static final String AUDIENCES = "mp.jwt.verify.audiences";
  public static final String CLOCK_SKEW = "mp.jwt.verify.clock.skew";
  public static final String TOKEN_AGE = "mp.jwt.verify.token.age";
  public static final String DECRYPT_KEY_LOCATION = "mp.jwt.decrypt.key.location";

  private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());

  static final int CACHE_SIZE = 4096;
  private static final int DEFAULT_CLOCK_SKEW_SECONDS = 60;

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final Optional<Long> maxAgeSeconds;
  private final int clockSkewSeconds;
  private final Clock clock;
  private final String description;
  private final Optional<String> issuer;
  private final Set<String> audiences;
  private final Map<String, Identity> verified;
  private volatile boolean keysUnavailableLogged;

  private TokenVerifier(
      JWSKeySelector<SecurityContext> keys,
      Optional<String> issuer,
      Set<String> audiences,
      int clockSkewSeconds,
      Optional<Long> maxAgeSeconds,
      Clock clock,
      String description,
      int cacheSize) {
    this.verified =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Identity> eldest) {
            return size() > cacheSize;
          }
        };
    this.clockSkewSeconds = clockSkewSeconds;
    this.maxAgeSeconds = maxAgeSeconds;
    this.clock = clock;
    this.description = description;
    this.issuer = issuer;
    this.audiences = Set.copyOf(audiences);
    JWTClaimsSet exact = issuer.map(i -> new JWTClaimsSet.Builder().issuer(i).build()).orElse(null);
    var claims =
        new DefaultJWTClaimsVerifier<SecurityContext>(
            audiences.isEmpty() ? null : audiences, exact, Set.of("exp"), null) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        };
    claims.setMaxClockSkew(clockSkewSeconds);
    processor.setJWSKeySelector(keys);
    processor.setJWTClaimsSetVerifier(claims);
  }

  /**
   * The verifier the {@code mp.jwt.*} settings of {@code source} describe, or empty when neither
   * {@value #PUBLIC_KEY} nor {@value #PUBLIC_KEY_LOCATION} is set.
   *
   * @throws ConfigurationException naming the setting that cannot be used
   */
  public static Optional<TokenVerifier> from(Function<String, Optional<String>> source) {
    return from(source, Clock.systemUTC(), CACHE_SIZE);
  }

  static Optional<TokenVerifier> from(
      Function<String, Optional<String>> source, Clock clock, int cacheSize) {
    Function<String, Optional<String>> get =
        key -> source.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    if (get.apply(DECRYPT_KEY_LOCATION).isPresent()) {
      throw new ConfigurationException(
          DECRYPT_KEY_LOCATION
              + " is set, but encrypted tokens (JWE) are not supported: use signed tokens (JWS)");
    }
    Optional<String> key = get.apply(PUBLIC_KEY);
    Optional<String> location = get.apply(PUBLIC_KEY_LOCATION);
    if (key.isPresent() && location.isPresent()) {
      throw new ConfigurationException(
          "both " + PUBLIC_KEY + " and " + PUBLIC_KEY_LOCATION + " are set: set one of them");
    }
    if (key.isEmpty() && location.isEmpty()) {
      return Optional.empty();
    }
    JWSAlgorithm algorithm = algorithm(get.apply(ALGORITHM).orElse("RS256"));
    JWSKeySelector<SecurityContext> keys;
    String description;
    if (key.isPresent()) {
      keys = keys(PUBLIC_KEY, key.get(), algorithm);
      description = PUBLIC_KEY;
    } else if (isRemote(location.get())) {
      keys = new JWSVerificationKeySelector<>(algorithm, remoteKeys(location.get()));
      description = Printable.withoutCredentials(location.get());
    } else {
      keys = keys(PUBLIC_KEY_LOCATION, read(location.get()), algorithm);
      description = Printable.withoutCredentials(location.get());
    }
    Set<String> audiences = new LinkedHashSet<>();
    get.apply(AUDIENCES)
        .ifPresent(
            a -> {
              for (String s : a.split(",")) {
                if (!s.isBlank()) {
                  audiences.add(s.trim());
                }
              }
            });
    int skew =
        seconds(CLOCK_SKEW, get.apply(CLOCK_SKEW))
            .orElse((long) DEFAULT_CLOCK_SKEW_SECONDS)
            .intValue();
    Optional<Long> age = seconds(TOKEN_AGE, get.apply(TOKEN_AGE));
    return Optional.of(
        new TokenVerifier(
            keys,
            get.apply(ISSUER),
            audiences,
            skew,
            age,
            clock,
            algorithm + " keys from " + description,
            cacheSize));
  }

  /**
   * The identity {@code token} proves.
   *
   * @throws InvalidTokenException saying what is wrong with it (never quoting it)
   */
  public Identity verify(String token) {
    String digest = digest(token);
    long now = clock.millis();
    synchronized (verified) {
      Identity known = maxAgeSeconds.isPresent() ? null : verified.get(digest);
      if (known != null) {
        if (known.expiresAtMillis() + clockSkewSeconds * 1000L > now) {
          return known;
        }
        verified.remove(digest);
        throw new InvalidTokenException("token expired");
      }
    }
    Identity id = identity(claims(token));
    keysUnavailableLogged = false;
    synchronized (verified) {
      verified.put(digest, id);
    }
    return id;
  }

  /**
   * The settings in use, for the start-up log: where the keys come from (never the keys, and a
   * location's credentials masked).
   */
  @Override
  public String toString() {
    return description;
  }

  /**
   * What these settings leave open, one warning per weakness, for the start-up log: without {@value
   * #ISSUER}, a token from any issuer the key signs for is accepted; without {@value #AUDIENCES}, a
   * token meant for any other service of that issuer is.
   */
  public List<String> weaknesses() {
    List<String> out = new ArrayList<>();
    if (issuer.isEmpty()) {
      out.add(
          ISSUER
              + " is not set: a token of any issuer whose key is "
              + description
              + " is accepted");
    }
    if (audiences.isEmpty()) {
      out.add(
          AUDIENCES
              + " is not set: a token meant for any other service of the same issuer is accepted");
    }
    return out;
  }

  /**
   * The keys could not be had (a key set URL that does not answer): the operator's problem, logged
   * at WARNING once until keys are had again, masked; the client only learns that its token could
   * not be checked.
   */
  private void keysUnavailable(JOSEException e) {
    if (!keysUnavailableLogged) {
      keysUnavailableLogged = true;
      LOG.log(
          Level.WARNING,
          "bearer tokens cannot be checked: keys from {0} unavailable: {1}",
          new Object[] {description, Printable.withoutCredentials(String.valueOf(e.getMessage()))});
    }
  }

  private JWTClaimsSet claims(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new InvalidTokenException("not a signed JWT");
    } catch (BadJWTException e) {
      throw new InvalidTokenException(claimsProblem(e.getMessage()));
    } catch (BadJOSEException e) {
      String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      // what the client is told never names where the keys come from (a URL may hold credentials,
      // and is nobody's business outside)
      throw new InvalidTokenException(
          m.contains("unsecured") || m.contains("plain")
              ? "unsigned tokens are not accepted"
              : "signature not valid");
    } catch (JOSEException e) {
      keysUnavailable(e);
      throw new InvalidTokenException("token could not be checked");
    } catch (RuntimeException e) {
      throw new InvalidTokenException("not a valid JWT");
    }
    if (maxAgeSeconds.isPresent()) {
      Date issued = claims.getIssueTime();
      long oldest = clock.millis() - (maxAgeSeconds.get() + clockSkewSeconds) * 1000;
      if (issued == null || issued.getTime() < oldest) {
        throw new InvalidTokenException("token older than " + TOKEN_AGE + " or without iat");
      }
    }
    return claims;
  }

  /**
   * Nimbus's reason for refusing the claims, in our words. (Its wording differs between versions,
   * and on Payara the runtime's own copy of the library may be the one loaded.)
   */
  private static String claimsProblem(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (m.contains("missing required claims")) {
      return "token without exp";
    } else if (m.contains("expired")) {
      return "token expired";
    } else if (m.contains("before use time")) {
      return "token not yet valid";
    } else if (m.contains("aud")) {
      return "audience not accepted";
    } else if (m.contains("iss claim")) {
      return "issuer not accepted";
    }
    return "claims not accepted";
  }

  private static Identity identity(JWTClaimsSet claims) {
    String name = null;
    for (String claim : List.of("upn", "preferred_username", "sub")) {
      Object v = claims.getClaim(claim);
      if (v instanceof String s && !s.isEmpty()) {
        name = s;
        break;
      }
    }
    if (name == null) {
      throw new InvalidTokenException("token names nobody (no upn, preferred_username or sub)");
    }
    Set<String> roles = new LinkedHashSet<>();
    Object groups = claims.getClaim("groups");
    if (groups instanceof String s) {
      roles.add(s);
    } else if (groups instanceof List<?> list) {
      for (Object g : list) {
        if (g instanceof String s) {
          roles.add(s);
        }
      }
    }
    return new Identity(name, roles, claims.getExpirationTime().getTime());
  }

  // ------------------------------------------------------------------ configuration

  private static JWSAlgorithm algorithm(String name) {
    JWSAlgorithm a = JWSAlgorithm.parse(name.toUpperCase(Locale.ROOT));
    if (!JWSAlgorithm.Family.RSA.contains(a) && !JWSAlgorithm.Family.EC.contains(a)) {
      throw new ConfigurationException(
          "invalid value for "
              + ALGORITHM
              + ": '"
              + name
              + "' (expected an RSA or EC signature algorithm such as RS256 or ES256)");
    }
    return a;
  }

  private static Optional<Long> seconds(String key, Optional<String> value) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      long n = Long.parseLong(value.get());
      if (n >= 0 && n <= 31_536_000) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException(
        "invalid value for " + key + ": '" + value.get() + "' (expected seconds, 0 or more)");
  }

  /** A fixed key or key set given as text: PEM, a JWK or a JWK set. */
  static JWSKeySelector<SecurityContext> keys(String key, String text, JWSAlgorithm algorithm) {
    String t = text.trim();
    try {
      if (t.startsWith("{")) {
        JWKSet set = t.contains("\"keys\"") ? JWKSet.parse(t) : new JWKSet(JWK.parse(t));
        return new JWSVerificationKeySelector<>(algorithm, new ImmutableJWKSet<>(set));
      }
      PublicKey publicKey = pem(t, algorithm);
      // one known key: used whatever key id the token names
      return (header, context) ->
          header.getAlgorithm().equals(algorithm) ? List.of(publicKey) : List.of();
    } catch (ParseException | GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigurationException(
          "invalid value for "
              + key
              + ": not a PEM public key, JWK or JWK set for "
              + algorithm
              + " ("
              + e.getMessage()
              + ")");
    }
  }

  private static PublicKey pem(String text, JWSAlgorithm algorithm)
      throws GeneralSecurityException {
    // the markers may sit on lines of their own or, from a one-line setting, inline
    String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(base64);
    String type = JWSAlgorithm.Family.EC.contains(algorithm) ? "EC" : "RSA";
    return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
  }

  private static boolean isRemote(String location) {
    String l = location.toLowerCase(Locale.ROOT);
    return l.startsWith("http://") || l.startsWith("https://");
  }

  private static JWKSource<SecurityContext> remoteKeys(String location) {
    try {
      URL url = URI.create(location).toURL();
      return JWKSourceBuilder.<SecurityContext>create(url).retrying(true).build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new ConfigurationException(
          "invalid value for "
              + PUBLIC_KEY_LOCATION
              + ": '"
              + Printable.withoutCredentials(location)
              + "' (not a URL)");
    }
  }

  private static String read(String location) {
    try {
      if (location.startsWith("classpath:")) {
        return resource(location.substring("classpath:".length()));
      }
      Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
      if (Files.isRegularFile(path)) {
        return Files.readString(path, StandardCharsets.UTF_8);
      }
      return resource(location);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigurationException(
          "invalid value for "
              + PUBLIC_KEY_LOCATION
              + ": '"
              + Printable.withoutCredentials(location)
              + "' cannot be read ("
              + e.getMessage()
              + ")");
    }
  }

  private static String resource(String name) throws IOException {
    String n = name.startsWith("/") ? name.substring(1) : name;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = TokenVerifier.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(n)) {
      if (in == null) {
        throw new IOException("no such file or class-path resource");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String digest(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** For tests: every token accepted so far and still remembered. */
  int remembered() {
    synchronized (verified) {
      return verified.size();
    }
  }
}
