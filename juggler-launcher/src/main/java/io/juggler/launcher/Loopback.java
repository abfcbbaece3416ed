package io.juggler.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The loopback interface, where everything the launcher, the benchmark and the suite start listens.
 */
public final class Loopback {

  private Loopback() {}

  /** Whether something accepts connections on {@code port} of the loopback address. */
  public static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
