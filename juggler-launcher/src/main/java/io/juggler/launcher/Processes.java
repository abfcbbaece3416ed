package io.juggler.launcher;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping child processes politely, then firmly. */
final class Processes {

  private Processes() {}

  /** How long {@link #stop(Process)} gives a process after SIGTERM. */
  static final Duration GRACE = Duration.ofSeconds(15);

  /** SIGTERM, then SIGKILL after {@link #GRACE}. */
  static void stop(Process p) {
    stop(p, GRACE);
  }

  /**
   * SIGTERM, then SIGKILL after {@code grace}. Signalled through its handle: {@link
   * Process#destroy()} would also close its output streams, losing the last lines it writes while
   * it stops.
   */
  static void stop(Process p, Duration grace) {
    if (!p.isAlive()) {
      return;
    }
    p.toHandle().destroy();
    try {
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
