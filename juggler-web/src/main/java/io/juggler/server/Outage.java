package io.juggler.server;

import java.util.logging.Logger;

/**
 * Tracks a Redis outage seen by a background loop: logs once when it starts and once when it ends
 * (not per failure), and backs off exponentially from 100 ms to 5 s. Thread-safe.
 */
final class Outage {

  private static final Logger LOG = Logger.getLogger(Outage.class.getName());

  private final String what;
  private volatile boolean down;
  private volatile long since;
  private volatile long backoff = 100;

  Outage(String what) {
    this.what = what;
  }

  synchronized void failed(Exception e) {
    if (!down) {
      down = true;
      since = System.nanoTime();
      LOG.warning(what + ": Redis unavailable, retrying with back-off: " + e.getMessage());
    }
  }

  void recovered() {
    if (down) {
      synchronized (this) {
        if (down) {
          down = false;
          backoff = 100;
          LOG.info(
              what
                  + ": Redis reachable again after "
                  + (System.nanoTime() - since) / 1_000_000
                  + " ms");
        }
      }
    }
  }

  boolean isDown() {
    return down;
  }

  void backOff() {
    long b = backoff;
    backoff = Math.min(5_000, b * 2);
    try {
      Thread.sleep(b);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
