package io.juggler.registry;

import java.util.List;

/**
 * The cluster-wide log of console actions and sign-ins, and apart from it the refused logins (so
 * that anyone who can post to the login page cannot push the actions out of theirs). Both are
 * bounded, newest first. Thread-safe; failures are reported as broker exceptions.
 */
public interface AuditLog {

  /** Entries kept in each list. */
  int KEPT = 100;

  /** One console action: who did what, when. */
  record Entry(long at, String user, String action, String target, String outcome) {}

  /** Records a console action or sign-in. */
  void audit(Entry entry);

  /** Records a refused login. */
  void auditRefusal(Entry entry);

  /** The most recent console actions and sign-ins, newest first. */
  List<Entry> recentAudit(int max);

  /** The most recent refused logins, newest first. */
  List<Entry> recentRefusals(int max);
}
