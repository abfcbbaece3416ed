package io.juggler.admin;

import io.juggler.Printable;
import io.juggler.registry.AuditLog;
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

  @Inject AuditLog log;

  /** The logged-in user's name. */
  String user() {
    Principal p = security.getCallerPrincipal();
    return p == null ? "anonymous" : p.getName();
  }

  void record(String action, String target, String outcome) {
    write(Level.INFO, false, user(), action, target, outcome);
  }

  /**
   * A login attempt from {@code address}: a log line and an entry {@code login console <outcome>},
   * a sign-in in the audit list, a refusal (at WARNING) in the list of refused logins, where
   * anyone's posts cannot push the actions out. {@code user} is the name as typed.
   */
  void login(String user, String address, String outcome) {
    boolean signedIn = outcome.startsWith("signed in");
    write(
        signedIn ? Level.INFO : Level.WARNING,
        !signedIn,
        user,
        "login",
        "console",
        outcome + " (from " + address + ")");
  }

  /**
   * Logs and stores one entry (in the refused logins' list when {@code refusal}). Everything in it
   * may come from a client (a user name, a channel, a queue name): control characters are escaped
   * and long text cut, so no entry can forge a log line or flood the list.
   */
  private void write(
      Level level, boolean refusal, String user, String action, String target, String outcome) {
    String u = Printable.of(user, 64);
    String t = Printable.of(target, 200);
    String o = Printable.of(outcome, 200);
    LOG.log(level, "admin={0} action={1} target={2} outcome={3}", new Object[] {u, action, t, o});
    AuditLog.Entry entry = new AuditLog.Entry(System.currentTimeMillis(), u, action, t, o);
    try {
      if (refusal) {
        log.auditRefusal(entry);
      } else {
        log.audit(entry);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "audit entry not stored in Redis (logged above): {0}", e.getMessage());
    }
  }
}
