package io.juggler.client.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * Runs warm-up then the measured window on the calling thread, printing a progress line every
 * second, and reports the window's real length.
 */
final class Timeline {

  private volatile boolean measuring;
  private volatile boolean running = true;
  private long measureStart;
  private long measureEnd;

  /** True while requests sent now are counted. */
  boolean measuring() {
    return measuring;
  }

  /** False once the load must stop issuing requests. */
  boolean running() {
    return running;
  }

  /**
   * Blocks through warm-up and measurement. {@code progress} gets the elapsed whole seconds and
   * returns the line to print, or {@code null}.
   */
  void run(Duration warmup, Duration duration, PrintStream out, LongFunction<String> progress) {
    long start = System.nanoTime();
    long warmupEnd = start + warmup.toNanos();
    long end = warmupEnd + duration.toNanos();
    if (warmup.isZero()) {
      beginMeasuring();
    }
    long second = 1;
    while (true) {
      long now = System.nanoTime();
      if (!measuring && now - warmupEnd >= 0) {
        beginMeasuring();
      }
      if (now - end >= 0) {
        break;
      }
      long nextTick = start + second * 1_000_000_000L;
      if (now - nextTick >= 0) {
        String line = progress.apply(second);
        if (line != null && out != null) {
          out.println(line + (measuring ? "" : "  (warm-up)"));
        }
        second++;
        continue;
      }
      long until = Math.min(nextTick, measuring ? end : warmupEnd);
      LockSupport.parkNanos(Math.max(until - now, 1000));
    }
    measureEnd = System.nanoTime();
    measuring = false;
    running = false;
  }

  private void beginMeasuring() {
    measureStart = System.nanoTime();
    measuring = true;
  }

  /** The measured window's real length. */
  Duration measured() {
    return Duration.ofNanos(measureEnd - measureStart);
  }

  /** Waits, a little at a time, until {@code done} or the deadline; true if done. */
  static boolean await(BooleanSupplier done, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.parkNanos(10_000_000L);
    }
    return true;
  }
}
