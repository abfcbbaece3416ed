package io.juggler.admin;

import io.juggler.config.JugglerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The one console user, {@code juggler.admin.user} with {@code juggler.admin.password}, in the
 * {@code admin} group. Without a password nobody can log in with one. {@link ConsoleLogin} audits
 * and throttles the attempts.
 */
@ApplicationScoped
public class AdminIdentityStore implements IdentityStore {

  @Inject JugglerConfig config;

  public CredentialValidationResult validate(UsernamePasswordCredential credential) {
    String user = credential.getCaller();
    if (config.admin().password().isEmpty()) {
      return CredentialValidationResult.INVALID_RESULT;
    }
    boolean ok =
        same(config.admin().user(), user)
            & same(config.admin().password().get(), credential.getPasswordAsString());
    return ok
        ? new CredentialValidationResult(user, Set.of(AdminSecurity.ROLE))
        : CredentialValidationResult.INVALID_RESULT;
  }

  /** Compares in time independent of where the strings differ. */
  static boolean same(String expected, String given) {
    if (given == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
