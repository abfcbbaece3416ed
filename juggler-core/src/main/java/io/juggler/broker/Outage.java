package io.juggler.broker;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tracks a Redis outage seen by one or more background loops of the same kind (the server's result
 * pumps, its registry publisher, the callee workers): logs once when it starts and once when it
 * ends, not per failure. The loops wait between retries with their own {@link Backoff}.
 * Thread-safe.
 */
public final class Outage {

  private static final Logger LOG = Logger.getLogger(Outage.class.getName());

  private final String what;
  private volatile boolean down;
  private volatile long since;

  /** An outage of the loops doing {@code what} (the log lines start with it). */
  public Outage(String what) {
    this.what = what;
  }

  /** A loop failed to reach Redis: logs the outage if it starts now. */
  public synchronized void failed(Exception e) {
    if (!down) {
      down = true;
      since = System.nanoTime();
      LOG.log(
          Level.WARNING,
          "{0}: Redis unavailable, retrying with back-off: {1}",
          new Object[] {what, e.getMessage()});
    }
  }

  /** A loop reached Redis: logs the end of the outage if there was one. */
  public void recovered() {
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

  /** Whether Redis was last seen unavailable. */
  public boolean isDown() {
    return down;
  }
}
