package io.juggler.server.tyrus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParkedUpgradesTest {

  private static final StackTraceElement[] PARKED = {
    new StackTraceElement("jdk.internal.misc.Unsafe", "park", null, -2),
    new StackTraceElement("java.util.concurrent.CountDownLatch", "await", null, 230),
    new StackTraceElement(PipelinedUpgradeGuard.TYRUS_HANDLER, "onDataAvailable", null, 110),
    new StackTraceElement(PipelinedUpgradeGuard.TYRUS_HANDLER, "init", null, 82),
  };

  private static final StackTraceElement[] READING = {
    new StackTraceElement("org.glassfish.tyrus.core.ProtocolHandler", "process", null, 826),
    new StackTraceElement(PipelinedUpgradeGuard.TYRUS_HANDLER, "onDataAvailable", null, 150),
  };

  @Test
  void aWaitingThreadInTheHandlersReadCallbackIsParked() {
    assertTrue(ParkedUpgrades.isParkedInUpgrade(Thread.State.WAITING, PARKED));
  }

  @Test
  void aThreadReadingFramesInTheCallbackIsNot() {
    assertFalse(ParkedUpgrades.isParkedInUpgrade(Thread.State.RUNNABLE, READING));
  }

  @Test
  void aWaitingThreadElsewhereIsNot() {
    StackTraceElement[] pool = {
      new StackTraceElement("jdk.internal.misc.Unsafe", "park", null, -2),
      new StackTraceElement("org.glassfish.grizzly.threadpool.AbstractThreadPool", "run", null, 1),
    };
    assertFalse(ParkedUpgrades.isParkedInUpgrade(Thread.State.WAITING, pool));
  }

  @Test
  void noThreadOfThisJvmIsParked() {
    assertEquals(0, ParkedUpgrades.count());
  }
}
