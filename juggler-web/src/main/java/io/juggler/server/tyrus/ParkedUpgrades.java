package io.juggler.server.tyrus;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * Counts HTTP worker threads parked for good by the Tyrus upgrade defect (see the package
 * documentation): threads waiting in {@code TyrusHttpUpgradeHandler.onDataAvailable}. With {@link
 * OrderedUpgradeHandler} in place the count stays 0; anything else means the guard is not active
 * (e.g. a Payara release changed Tyrus) and the server is losing workers. Always 0 where Tyrus is
 * not the websocket stack. The result is cached for a second: a thread scan is not free.
 */
public final class ParkedUpgrades {

  private static final String HANDLER = PipelinedUpgradeGuard.TYRUS_HANDLER;
  private static final int DEPTH = 16;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static volatile long cachedAtNanos;
  private static volatile int cached;

  private ParkedUpgrades() {}

  /** Threads currently parked in Tyrus's upgrade handler. */
  public static int count() {
    long now = System.nanoTime();
    if (cachedAtNanos != 0 && now - cachedAtNanos < 1_000_000_000L) {
      return cached;
    }
    int n = 0;
    for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds(), DEPTH)) {
      if (t != null && isParkedInUpgrade(t.getThreadState(), t.getStackTrace())) {
        n++;
      }
    }
    cached = n;
    cachedAtNanos = now;
    return n;
  }

  static boolean isParkedInUpgrade(Thread.State state, StackTraceElement[] stack) {
    if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
      return false;
    }
    for (StackTraceElement e : stack) {
      if (HANDLER.equals(e.getClassName()) && "onDataAvailable".equals(e.getMethodName())) {
        return true;
      }
    }
    return false;
  }
}
