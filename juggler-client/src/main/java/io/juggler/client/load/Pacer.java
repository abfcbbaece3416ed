package io.juggler.client.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Fires every open-loop sender at its own fixed rate from one thread. Each sender is called with
 * the intended send time ({@link System#nanoTime()} scale), so latency can be measured from when a
 * request should have gone out, not from when it did (no coordinated omission). A pacer that falls
 * behind catches up by firing the missed sends at once, as an open loop must.
 */
final class Pacer {

  private static final class Sender {
    final long periodNanos;
    final LongConsumer send;
    final long offset;
    long next;

    Sender(long periodNanos, LongConsumer send, long offset) {
      this.periodNanos = periodNanos;
      this.send = send;
      this.offset = offset;
    }
  }

  private final List<Sender> senders = new ArrayList<>();
  private volatile boolean running;
  private Thread thread;

  /** Adds a sender at {@code perSecond}, starting at a random point of its first period. */
  void add(double perSecond, LongConsumer send) {
    long period = Math.max(1, Math.round(1e9 / perSecond));
    senders.add(new Sender(period, send, ThreadLocalRandom.current().nextLong(period)));
  }

  void start() {
    long now = System.nanoTime();
    for (Sender s : senders) {
      s.next = now + s.offset;
    }
    running = true;
    thread = new Thread(this::loop, "juggler-load-pacer");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() throws InterruptedException {
    running = false;
    if (thread != null) {
      LockSupport.unpark(thread);
      thread.join();
    }
  }

  private void loop() {
    while (running) {
      long now = System.nanoTime();
      long earliest = Long.MAX_VALUE;
      for (Sender s : senders) {
        while (s.next - now <= 0 && running) {
          s.send.accept(s.next);
          s.next += s.periodNanos;
        }
        earliest = Math.min(earliest, s.next);
      }
      long wait = earliest - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }
}
