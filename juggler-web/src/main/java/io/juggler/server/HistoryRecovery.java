package io.juggler.server;

import io.juggler.broker.HistoryRead;
import io.juggler.broker.PubSubBroker;
import io.juggler.config.History;
import io.juggler.message.Ack;
import io.juggler.message.Evnt;
import io.juggler.message.JsonCodec;
import io.juggler.message.MessageType;
import io.juggler.message.PubPayload;
import io.juggler.message.Sub;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A SUB that asks to recover (issue 23, item 2): subscribes, reads what the client missed from the
 * channel's history, ACKs saying whether it could, then replays the missed events in order before
 * the live ones, without duplicates. Live events that arrive meanwhile are held by the {@link
 * EventRouter} and sent after the replay (those the replay already had are skipped).
 *
 * <p>The replay runs on a small pool of its own and paces itself on the connection's outbound queue
 * (it waits for room rather than overflowing it), so a client that asks for thousands of events and
 * does not read parks none of the container's threads: its write times out, and the connection
 * closes as any slow reader's does.
 *
 * <p>Only channels recover: a pattern covers channels each with its own history and offsets, so a
 * pattern SUB with {@code recover} gets NACK 400 (its events do carry their channel's offset).
 */
final class HistoryRecovery {

  private final PubSubBroker broker;
  private final EventRouter events;
  private final History history;
  private final Replies replies;
  private final ServerCounters metrics;
  private final Executor replays;
  private final long writeTimeoutNanos;

  HistoryRecovery(
      PubSubBroker broker,
      EventRouter events,
      History history,
      Replies replies,
      ServerCounters metrics,
      Executor replays,
      Duration writeTimeout) {
    this.broker = broker;
    this.events = events;
    this.history = history;
    this.replies = replies;
    this.metrics = metrics;
    this.replays = replays;
    this.writeTimeoutNanos = writeTimeout.toNanos();
  }

  void subscribe(Connection c, Sub sub) {
    if (sub.pattern()) {
      throw new RequestRefusedException(
          400, "recover is for channels: a pattern has no history of its own");
    }
    Optional<History.Rule> rule = history.forChannel(sub.channel());
    if (rule.isEmpty()) {
      events.subscribe(c, sub.channel(), false);
      metrics.recovery("no_history");
      ack(c, sub, new Ack.Recovery(false, "no history", 0, null));
      return;
    }
    EventRouter.Holding held = events.hold(c, sub.channel(), c.maxQueued());
    HistoryRead read;
    try {
      events.subscribe(c, sub.channel(), false);
      read =
          broker.readHistory(
              sub.channel(),
              sub.recover().offset(),
              sub.recover().epoch(),
              rule.get().size(),
              rule.get().age());
    } catch (RuntimeException e) {
      events.release(held, 0);
      throw e;
    }
    boolean recovered = read.status() == HistoryRead.Status.RECOVERED;
    String reason =
        switch (read.status()) {
          case RECOVERED -> null;
          case EPOCH_CHANGED -> "epoch changed";
          case HISTORY_GONE -> "history gone";
        };
    metrics.recovery(recovered ? "recovered" : read.status().name().toLowerCase(Locale.ROOT));
    ack(c, sub, new Ack.Recovery(recovered, reason, read.top(), read.epoch()));
    if (!recovered || read.events().isEmpty()) {
      events.release(held, recovered ? read.top() : 0);
      return;
    }
    replays.execute(() -> replay(c, sub.channel(), read, held));
  }

  private void ack(Connection c, Sub sub, Ack.Recovery r) {
    c.send(Ack.ofRecovery(sub, r));
    metrics.sent(MessageType.ACK);
  }

  private void replay(Connection c, String channel, HistoryRead read, EventRouter.Holding held) {
    long last = 0;
    int room = Math.max(1, c.maxQueued() / 2);
    int sent = 0;
    try {
      for (PubPayload e : read.events()) {
        if (!c.awaitRoom(room, writeTimeoutNanos)) {
          return; // closed, or it stopped reading: the watchdog closes it
        }
        c.send(
            MessageType.EVNT,
            JsonCodec.encodeTail(
                new Evnt("", e.msgUuid(), channel, null, e.args(), e.offset(), e.epoch())));
        last = e.offset();
        sent++;
      }
    } finally {
      metrics.replayed(sent);
      events.release(held, last);
    }
  }
}
