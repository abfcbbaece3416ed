package io.juggler.server;

import io.juggler.auth.AccessRules;
import io.juggler.auth.AccessRules.Action;
import io.juggler.auth.AccessRules.Decision;
import io.juggler.auth.Identity;
import io.juggler.message.Call;
import io.juggler.message.Message;
import io.juggler.message.Pub;
import io.juggler.message.Sub;

/**
 * Who may CALL which URI, PUB to which channel and SUB to which channel or pattern ({@code
 * juggler.auth.rules}, see {@link AccessRules}). A refused request is NACKed 403, or 401 when the
 * client is anonymous (it might be allowed once it authenticates), and counted. UNSB is never
 * refused: it can only remove what was allowed.
 */
final class Authorization implements Admission {

  private final AccessRules rules;
  private final ServerCounters counters;

  Authorization(AccessRules rules, ServerCounters counters) {
    this.rules = rules;
    this.counters = counters;
  }

  @Override
  public void admit(Connection c, Message request) {
    Identity id = c.identity();
    if (request instanceof Call call) {
      check(rules.check(Action.CALL, call.uri(), id), id, Action.CALL, call.uri());
    } else if (request instanceof Pub pub) {
      check(rules.check(Action.PUB, pub.channel(), id), id, Action.PUB, pub.channel());
    } else if (request instanceof Sub sub) {
      Decision d =
          sub.pattern()
              ? rules.checkPattern(sub.channel(), id)
              : rules.check(Action.SUB, sub.channel(), id);
      check(d, id, Action.SUB, sub.channel());
    }
  }

  private void check(Decision d, Identity id, Action action, String target) {
    if (d == Decision.ALLOW) {
      return;
    }
    counters.authRefused(action.name());
    if (id.isAuthenticated()) {
      throw new RequestRefusedException(403, action + " " + target + " not allowed");
    }
    throw new RequestRefusedException(
        401, action + " " + target + " not allowed without authentication");
  }
}
