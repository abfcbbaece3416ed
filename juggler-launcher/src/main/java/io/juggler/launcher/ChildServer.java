package io.juggler.launcher;

import java.time.Duration;

/**
 * A server that runs as a child of this process and is watched through its console output ({@link
 * ServerOutput}): Payara Micro and Open Liberty. Everything but how it starts and what its close
 * leaves behind is the same for both.
 */
abstract class ChildServer implements ServerProcess {

  private final Process process;
  private final ServerOutput output;
  private final int port;
  private volatile Duration stopGrace = Processes.GRACE;

  ChildServer(Process process, ServerOutput output, int port) {
    this.process = process;
    this.output = output;
    this.port = port;
  }

  @Override
  public boolean awaitReady(int seconds) throws InterruptedException {
    return Readiness.await(process.toHandle(), output::gaveUp, baseUrl(), seconds);
  }

  @Override
  public boolean gaveUp() {
    return output.gaveUp();
  }

  @Override
  public String gaveUpLine() {
    return output.gaveUpLine();
  }

  @Override
  public boolean portTaken() {
    return output.portTaken();
  }

  @Override
  public String outputLocation() {
    return output.where();
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /**
   * How long {@link #close()} waits after SIGTERM before it kills the process (default {@link
   * Processes#GRACE}): longer for a JVM that writes an AOT cache when it exits.
   */
  public void stopGrace(Duration grace) {
    this.stopGrace = grace;
  }

  @Override
  public void close() {
    Processes.stop(process, stopGrace);
  }
}
