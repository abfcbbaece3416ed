package io.juggler.launcher;

/** A Jakarta EE server process serving Juggler EE at context root {@code /} on loopback. */
public interface ServerProcess extends AutoCloseable {

  /**
   * Waits until {@code /health/ready} answers 200; false if it did not within {@code seconds}, or
   * the process ended, or it said it gave up ({@link #gaveUp()}).
   */
  boolean awaitReady(int seconds) throws InterruptedException;

  /**
   * True once the server said in its output that it gave up starting (its process may still be
   * running: Payara Micro's JVM stays up after "Failed to start, exiting").
   */
  boolean gaveUp();

  /** The line of its output by which it gave up, or null. */
  String gaveUpLine();

  /** True when its output said its HTTP port was taken. */
  boolean portTaken();

  /** Where its console output goes, for messages ("its output above" or a file). */
  String outputLocation();

  /** The HTTP port it serves on loopback. */
  int port();

  /** {@code http://localhost:<port>}. */
  default String baseUrl() {
    return "http://localhost:" + port();
  }

  /** {@code ws://localhost:<port>/ws}. */
  default String websocketUrl() {
    return "ws://localhost:" + port() + "/ws";
  }

  boolean isAlive();

  /** The server's process id (for the benchmark's CPU, memory and GC readings). */
  long pid();

  /** Waits for the process to end and returns its exit code. */
  int waitFor() throws InterruptedException;

  /** Stops the process: SIGTERM, then SIGKILL after 15 s. */
  @Override
  void close();
}
