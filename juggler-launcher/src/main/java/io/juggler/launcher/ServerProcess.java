package io.juggler.launcher;

/** A Jakarta EE server process serving Juggler EE at context root {@code /} on loopback. */
public interface ServerProcess extends AutoCloseable {

  /** Waits until {@code /health/ready} answers 200; false if it did not within {@code seconds}. */
  boolean awaitReady(int seconds) throws InterruptedException;

  /** {@code http://localhost:<port>}. */
  String baseUrl();

  /** {@code ws://localhost:<port>/ws}. */
  String websocketUrl();

  boolean isAlive();

  /** The server's process id (for the benchmark's CPU, memory and GC readings). */
  long pid();

  /** Waits for the process to end and returns its exit code. */
  int waitFor() throws InterruptedException;

  /** Stops the process: SIGTERM, then SIGKILL after 15 s. */
  @Override
  void close();
}
