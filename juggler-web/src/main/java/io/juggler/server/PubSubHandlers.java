package io.juggler.server;

import io.juggler.broker.PubSubBroker;
import io.juggler.config.History;
import io.juggler.message.Pub;
import io.juggler.message.PubPayload;
import io.juggler.message.Sub;
import io.juggler.message.Unsb;
import java.util.Optional;

/** PUB, SUB and UNSB: one broker operation each, then the ACK. */
final class PubSubHandlers {

  private PubSubHandlers() {}

  /**
   * PUB: published on the pub-sub Redis, whether or not anyone listens. With {@code "echo": false}
   * the publication names the publishing connection, which no server then delivers it to.
   */
  static RequestHandler<Pub> pub(PubSubBroker broker, History history, Replies replies) {
    return (c, pub) -> {
      PubPayload p = new PubPayload(pub.uuid(), pub.args(), pub.echo() ? null : c.id());
      Optional<History.Rule> rule =
          history.isEmpty() ? Optional.empty() : history.forChannel(pub.channel());
      if (rule.isPresent()) {
        // kept in the channel's history and published with its offset (issue 23)
        broker.publishWithHistory(pub.channel(), p, rule.get().size(), rule.get().age());
      } else {
        broker.publish(pub.channel(), p);
      }
      replies.ack(c, pub);
    };
  }

  /** SUB: ACKed once Redis has confirmed the subscription (spec 14.10). */
  static RequestHandler<Sub> sub(EventRouter events, HistoryRecovery recovery, Replies replies) {
    return (c, sub) -> {
      if (sub.recover() != null) {
        recovery.subscribe(c, sub); // ACKs with what came of the recovery
        return;
      }
      events.subscribe(c, sub.channel(), sub.pattern());
      replies.ack(c, sub);
    };
  }

  /** UNSB: always ACKed, subscribed or not. */
  static RequestHandler<Unsb> unsb(EventRouter events, Replies replies) {
    return (c, unsb) -> {
      events.unsubscribe(c, unsb.channel(), unsb.pattern());
      replies.ack(c, unsb);
    };
  }
}
