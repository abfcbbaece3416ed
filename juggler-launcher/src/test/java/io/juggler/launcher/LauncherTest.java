package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherTest {

  @Test
  void portVariablesAreCheckedAndNamed() {
    assertEquals(8080, Launcher.port(Map.of(), "JUGGLER_HTTP_PORT", 8080));
    assertEquals(
        9090, Launcher.port(Map.of("JUGGLER_HTTP_PORT", " 9090 "), "JUGGLER_HTTP_PORT", 1));
    for (String bad : new String[] {"http", "0", "65536", "-1"}) {
      Launcher.LaunchException e =
          assertThrows(
              Launcher.LaunchException.class,
              () -> Launcher.port(Map.of("JUGGLER_HTTP_PORT", bad), "JUGGLER_HTTP_PORT", 8080));
      assertEquals(
          "JUGGLER_HTTP_PORT=" + bad + " is not a port number (1 to 65535)", e.getMessage());
    }
  }

  @Test
  void aListeningPortIsNotFree() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertFalse(Launcher.free(s.getLocalPort()));
    }
  }

  @Test
  void payaraGivesUpAfterABindException() {
    ServerOutput out = ServerOutput.forTest(ServerOutput.Markers.PAYARA);
    out.read("08:46:32 SEVERE javax.enterprise.system.core: Shutting down server due to startup");
    out.read("java.net.BindException: Address already in use");
    assertFalse(out.gaveUp());
    out.read("08:46:32 SEVERE javax.enterprise.system.core: Failed to start, exiting");
    assertTrue(out.gaveUp());
    assertTrue(out.portTaken());
  }

  @Test
  void payaraGivesUpWhenTheApplicationDoesNotDeploy() {
    ServerOutput out = ServerOutput.forTest(ServerOutput.Markers.PAYARA);
    out.read(
        "10:12:25 SEVERE io.juggler.config.Juggler: Juggler EE cannot start: invalid value for"
            + " juggler.registry.interval: 'banana'");
    assertFalse(out.gaveUp());
    out.read("10:12:25 SEVERE javax.enterprise.system.core: Exception while loading the app");
    assertTrue(out.gaveUp());
    assertFalse(out.portTaken());
    assertEquals(
        "10:12:25 SEVERE javax.enterprise.system.core: Exception while loading the app",
        out.gaveUpLine());
  }

  @Test
  void libertyGivesUpWhenItsPortIsTaken() {
    ServerOutput out = ServerOutput.forTest(ServerOutput.Markers.LIBERTY);
    out.read("[AUDIT   ] CWWKE0001I: The server juggler has been launched.");
    assertFalse(out.gaveUp());
    out.read(
        "[ERROR   ] CWWKO0221E: TCP Channel defaultHttpEndpoint initialization did not succeed."
            + "  The socket bind did not succeed for host 127.0.0.1 and port 8080.");
    assertTrue(out.gaveUp());
    assertTrue(out.portTaken());
  }
}
