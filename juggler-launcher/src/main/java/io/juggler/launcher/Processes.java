package io.juggler.launcher;

import java.util.concurrent.TimeUnit;

/** Stopping child processes politely, then firmly. */
final class Processes {

  private Processes() {}

  /**
   * SIGTERM, then SIGKILL after 15 s. Signalled through its handle: {@link Process#destroy()} would
   * also close its output streams, losing the last lines it writes while it stops.
   */
  static void stop(Process p) {
    if (!p.isAlive()) {
      return;
    }
    p.toHandle().destroy();
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
