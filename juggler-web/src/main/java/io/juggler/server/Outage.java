package io.juggler.server;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tracks a Redis outage seen by one or more background loops of the same kind: logs once when it
 * starts and once when it ends, not per failure. The loops wait between retries with their own
 * {@link io.juggler.broker.Backoff}. Thread-safe.
 */
final class Outage {

  private static final Logger LOG = Logger.getLogger(Outage.class.getName());

  private final String what;
  private volatile boolean down;
  private volatile long since;

  Outage(String what) {
    this.what = what;
  }

  synchronized void failed(Exception e) {
    if (!down) {
      down = true;
      since = System.nanoTime();
      LOG.log(
          Level.WARNING,
          "{0}: Redis unavailable, retrying with back-off: {1}",
          new Object[] {what, e.getMessage()});
    }
  }

  void recovered() {
    if (down) {
      synchronized (this) {
        if (down) {
          down = false;
          LOG.log(
              Level.INFO,
              "{0}: Redis reachable again after {1} ms",
              new Object[] {what, (System.nanoTime() - since) / 1_000_000});
        }
      }
    }
  }

  boolean isDown() {
    return down;
  }
}
