package io.juggler.server;

import io.juggler.broker.PubSubBroker;
import io.juggler.message.Pub;
import io.juggler.message.PubPayload;
import io.juggler.message.Sub;
import io.juggler.message.Unsb;

/** PUB, SUB and UNSB: one broker operation each, then the ACK. */
final class PubSubHandlers {

  private PubSubHandlers() {}

  /**
   * PUB: published on the pub-sub Redis, whether or not anyone listens. With {@code "echo": false}
   * the publication names the publishing connection, which no server then delivers it to.
   */
  static RequestHandler<Pub> pub(PubSubBroker broker, Replies replies) {
    return (c, pub) -> {
      broker.publish(
          pub.channel(), new PubPayload(pub.uuid(), pub.args(), pub.echo() ? null : c.id()));
      replies.ack(c, pub);
    };
  }

  /** SUB: ACKed once Redis has confirmed the subscription (spec 14.10). */
  static RequestHandler<Sub> sub(EventRouter events, Replies replies) {
    return (c, sub) -> {
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
