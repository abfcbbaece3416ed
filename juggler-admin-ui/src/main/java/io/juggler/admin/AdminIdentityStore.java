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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one console user, {@code juggler.admin.user} with {@code juggler.admin.password}, in the
 * {@code admin} group. Without a password nobody can log in (and {@link ConsoleGate} hides the
 * console). Every attempt is logged on {@code io.juggler.admin.audit} and kept in the cluster-wide
 * audit list ({@link Audit#login}).
 */
@ApplicationScoped
public class AdminIdentityStore implements IdentityStore {

  private static final Logger AUDIT = Logger.getLogger(Audit.LOGGER);

  @Inject JugglerConfig config;

  @Inject Audit audit;

  public CredentialValidationResult validate(UsernamePasswordCredential credential) {
    String user = credential.getCaller();
    if (config.adminPassword().isEmpty()) {
      AUDIT.log(Level.WARNING, "admin login refused for {0}: console disabled", user);
      return CredentialValidationResult.INVALID_RESULT;
    }
    boolean ok =
        same(config.adminUser(), user)
            & same(config.adminPassword().get(), credential.getPasswordAsString());
    audit.login(user, ok);
    if (!ok) {
      AUDIT.log(Level.WARNING, "admin login failed for {0}", user);
      return CredentialValidationResult.INVALID_RESULT;
    }
    AUDIT.log(Level.INFO, "admin={0} logged in", user);
    return new CredentialValidationResult(user, Set.of(AdminSecurity.ROLE));
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
