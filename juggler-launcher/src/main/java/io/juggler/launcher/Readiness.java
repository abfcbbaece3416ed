package io.juggler.launcher;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for a server's MicroProfile Health readiness check. */
final class Readiness {

  private Readiness() {}

  /**
   * Polls {@code base/health/ready} until it answers 200 (true), the process ends, its output says
   * it gave up, or {@code seconds} pass (false).
   */
  static boolean await(ProcessHandle process, BooleanSupplier gaveUp, String base, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (process.isAlive() && !gaveUp.getAsBoolean() && System.nanoTime() < deadline) {
      try {
        HttpURLConnection c =
            (HttpURLConnection) URI.create(base + "/health/ready").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    return false;
  }
}
