package io.juggler.callee;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts a function still running when its call's deadline passes, so that a call nobody waits
 * for any more frees its worker (a demo {@code test.delay} of 15 s with a 1 s timeout used to hold
 * a worker for 15 s). One timer thread for all workers; arming and disarming cost a queue insert
 * and removal. A function that ignores interrupts still runs to its end; its result is then dropped
 * as expired.
 */
final class Deadlines implements AutoCloseable {

  private final ScheduledThreadPoolExecutor timer;

  Deadlines(ThreadFactory threads) {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = threads.newThread(r);
              t.setName("juggler-callee-deadlines");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** The interrupt of the calling thread at {@code deadlineNanos}, until {@link Armed#close()}. */
  Armed arm(long deadlineNanos) {
    Armed a = new Armed(Thread.currentThread());
    a.future = timer.schedule(a::fire, deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    return a;
  }

  /**
   * One armed deadline, which a cancel of its call fires early ({@link #cancel}). Closing it on the
   * armed thread disarms it and clears its interrupt.
   */
  static final class Armed implements AutoCloseable {
    private final Thread thread;
    private ScheduledFuture<?> future;
    private boolean done;
    private boolean fired;
    private volatile boolean cancelled;

    Armed(Thread thread) {
      this.thread = thread;
    }

    private synchronized void fire() {
      if (!done) {
        fired = true;
        thread.interrupt();
      }
    }

    /** The client cancelled the call: the function is interrupted as at its deadline. */
    synchronized void cancel() {
      cancelled = true;
      if (!done) {
        fired = true;
        thread.interrupt();
      }
    }

    /** Whether the call was cancelled ({@link #cancel}). */
    boolean cancelled() {
      return cancelled;
    }

    /** Whether the deadline interrupted the thread. */
    synchronized boolean fired() {
      return fired;
    }

    @Override
    public void close() {
      synchronized (this) {
        done = true;
      }
      future.cancel(false);
      if (fired()) {
        Thread.interrupted(); // the interrupt was ours: the worker carries on
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
