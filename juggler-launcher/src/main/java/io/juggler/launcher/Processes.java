package io.juggler.launcher;

import java.util.concurrent.TimeUnit;

/** Stopping child processes politely, then firmly. */
final class Processes {

  private Processes() {}

  /** SIGTERM, then SIGKILL after 15 s. */
  static void stop(Process p) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
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
