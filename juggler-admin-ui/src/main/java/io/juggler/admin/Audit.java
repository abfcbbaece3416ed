package io.juggler.admin;

import io.juggler.broker.redis.RedisRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import java.security.Principal;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records every console action and login attempt with who did it: a log line on {@code
 * io.juggler.admin.audit} and an entry in the cluster-wide audit list in Redis (shown on the
 * overview).
 */
@ApplicationScoped
public class Audit {

  static final String LOGGER = "io.juggler.admin.audit";
  private static final Logger LOG = Logger.getLogger(LOGGER);

  @Inject SecurityContext security;

  @Inject RedisRegistry registry;

  /** The logged-in user's name. */
  String user() {
    Principal p = security.getCallerPrincipal();
    return p == null ? "anonymous" : p.getName();
  }

  void record(String action, String target, String outcome) {
    String user = user();
    LOG.log(
        Level.INFO,
        "admin={0} action={1} target={2} outcome={3}",
        new Object[] {user, action, target, outcome});
    store(user, action, target, outcome);
  }

  /**
   * A login attempt: an entry {@code login console signed in} (or {@code refused}) in the audit
   * list. The identity store logs the attempt itself.
   */
  void login(String user, boolean ok) {
    String name = user == null ? "" : user.length() > 64 ? user.substring(0, 64) + "..." : user;
    store(name, "login", "console", ok ? "signed in" : "refused: wrong user or password");
  }

  private void store(String user, String action, String target, String outcome) {
    try {
      registry.audit(
          new RedisRegistry.AuditEntry(System.currentTimeMillis(), user, action, target, outcome));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "audit entry not stored in Redis (logged above): {0}", e.getMessage());
    }
  }
}
