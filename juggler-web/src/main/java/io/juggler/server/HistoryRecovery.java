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
import java.util.concurrent.Semaphore;

/**
 * A SUB that asks to recover (issue 23, item 2): subscribes, reads what the client missed from the
 * channel's history, ACKs saying whether it could, then replays the missed events in order before
 * the live ones, without duplicates. Live events that arrive meanwhile are held by the {@link
 * EventRouter} and sent after the replay (those the replay already had are skipped).
 *
 * <p>The read and the replay run on a small pool of their own, so at most that many histories are
 * in memory at once, each at most {@code juggler.history.max-replay-bytes} (a subscriber that
 * missed more is told "too much missed"); at most {@link #MAX_WAITING} recoveries wait for the
 * pool, more get NACK 503. The replay paces itself on the connection's outbound queue (it waits for
 * room rather than overflowing it), so a client that asks for thousands of events and does not read
 * parks none of the container's threads: its write times out, and the connection closes as any slow
 * reader's does.
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

  /** Recoveries waiting for or in the replay pool; more are refused (NACK 503). */
  private final Semaphore waiting = new Semaphore(MAX_WAITING);

  /** How many recoveries a server takes at once (each holds its subscriber's live events). */
  static final int MAX_WAITING = 256;

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
    if (!waiting.tryAcquire()) {
      metrics.limitExceeded("recoveries");
      throw new RequestRefusedException(
          503, "too many recoveries at once on this server; try again shortly");
    }
    EventRouter.Holding held;
    try {
      held = events.hold(c, sub.channel(), c.maxQueued());
      try {
        events.subscribe(c, sub.channel(), false);
      } catch (RuntimeException e) {
        events.release(held, 0);
        throw e;
      }
    } catch (RuntimeException e) {
      waiting.release();
      throw e;
    }
    // read and replayed on the replay pool: at most REPLAY_THREADS histories are in memory at once
    replays.execute(
        () -> {
          try {
            recover(c, sub, rule.get(), held);
          } finally {
            waiting.release();
          }
        });
  }

  private void recover(Connection c, Sub sub, History.Rule rule, EventRouter.Holding held) {
    HistoryRead read;
    try {
      read =
          broker.readHistory(
              sub.channel(),
              sub.recover().offset(),
              sub.recover().epoch(),
              rule.size(),
              rule.age(),
              history.maxReplayBytes());
    } catch (RuntimeException e) {
      events.release(held, 0);
      replies.refused(c, sub, e);
      return;
    }
    boolean recovered = read.status() == HistoryRead.Status.RECOVERED;
    String reason =
        switch (read.status()) {
          case RECOVERED -> null;
          case EPOCH_CHANGED -> "epoch changed";
          case HISTORY_GONE -> "history gone";
          case TOO_LARGE -> "too much missed";
        };
    metrics.recovery(recovered ? "recovered" : read.status().name().toLowerCase(Locale.ROOT));
    ack(c, sub, new Ack.Recovery(recovered, reason, read.top(), read.epoch()));
    if (!recovered || read.events().isEmpty()) {
      events.release(held, recovered ? read.top() : 0);
      return;
    }
    replay(c, sub.channel(), read, held);
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
