package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler given to Tyrus: idle-timeout commands without a timeout cost nothing. */
class IdleTimersTest {

  /** Stands in for Tyrus's command (matched by class name, as Tyrus's own class is). */
  static final class TyrusSession {
    static final class IdleTimeoutCommand implements Runnable {
      final AtomicInteger runs = new AtomicInteger();
      final CountDownLatch ran = new CountDownLatch(1);

      @Override
      public void run() {
        runs.incrementAndGet();
        ran.countDown();
      }
    }
  }

  private final IdleTimers timers = new IdleTimers(Executors.defaultThreadFactory());

  @AfterEach
  void close() {
    timers.close();
  }

  @Test
  void anIdleCommandWithoutTimeoutIsDoneAtOnceAndNeverRuns() throws Exception {
    ScheduledExecutorService executor = timers.executor();
    TyrusSession.IdleTimeoutCommand command = new TyrusSession.IdleTimeoutCommand();

    ScheduledFuture<?> f = executor.schedule(command, 0, TimeUnit.MILLISECONDS);

    assertTrue(f.isDone());
    assertEquals(false, f.cancel(false));
    // a task scheduled after it has run, so the command would have run by now if it were queued
    executor.schedule(() -> {}, 0, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
    assertEquals(0, command.runs.get());
    assertEquals(0, ((IdleTimers.Scheduler) executor).getQueue().size());
  }

  @Test
  void anIdleCommandWithATimeoutStillRuns() throws Exception {
    TyrusSession.IdleTimeoutCommand command = new TyrusSession.IdleTimeoutCommand();

    timers.executor().schedule(command, 10, TimeUnit.MILLISECONDS);

    assertTrue(command.ran.await(5, TimeUnit.SECONDS));
  }

  @Test
  void otherTasksRunEvenWithoutDelay() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);

    timers.executor().schedule(ran::countDown, 0, TimeUnit.MILLISECONDS);

    assertTrue(ran.await(5, TimeUnit.SECONDS));
  }
}
