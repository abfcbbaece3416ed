package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's run command, {@code ./run.sh}, where a port it needs is taken or an argument is
 * wrong: it stops at once, before its Maven build, with a message naming what to change; {@code
 * --help} answers at once too.
 */
class RunScriptTest {

  static final Path SCRIPT = Repository.root().resolve("run.sh");

  record Run(int status, String output, long millis) {}

  static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("JUGGLER_REDIS_URL");
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process p = pb.start();
    // a build started by mistake would take far longer: cut it short and fail
    boolean ended = p.waitFor(10, TimeUnit.SECONDS);
    if (!ended) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(ended, "run.sh still running after 10 s (building?):\n" + out);
    return new Run(p.exitValue(), out, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @Test
  void aTakenHttpPortStopsItBeforeTheBuild() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Run r = run(Map.of("JUGGLER_HTTP_PORT", Integer.toString(port)));
      assertEquals(1, r.status(), r.output());
      // the launcher's own message, which names the variable
      assertEquals("[juggler] " + Launcher.httpPortTaken(port) + "\n", r.output());
      assertTrue(r.output().contains("JUGGLER_HTTP_PORT=" + (port + 1) + " ./run.sh"), r.output());
      assertTrue(r.millis() < 5_000, r.millis() + " ms");
    }
  }

  @Test
  void aTakenRedisPortStopsItUnlessARedisUrlIsGiven() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      String httpPort = Integer.toString(free.getLocalPort());
      free.close();
      Run r =
          run(
              Map.of(
                  "JUGGLER_HTTP_PORT",
                  httpPort,
                  "JUGGLER_LOCAL_REDIS_PORT",
                  Integer.toString(port)));
      assertEquals(1, r.status(), r.output());
      assertTrue(r.output().contains("JUGGLER_REDIS_URL=redis://127.0.0.1:" + port), r.output());
      assertTrue(r.output().contains("JUGGLER_LOCAL_REDIS_PORT=" + (port + 1)), r.output());
      assertFalse(r.output().contains("mvnw"), r.output());
    }
  }

  @Test
  void helpAnswersAtOnceWithTheModes() throws Exception {
    Run r = run(Map.of(), "--help");
    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().startsWith("Runs Juggler EE on this machine"), r.output());
    for (String mode : List.of("--liberty", "--payara-server", "--help", "JUGGLER_REDIS_URL")) {
      assertTrue(r.output().contains(mode), mode + " missing from:\n" + r.output());
    }
    assertFalse(r.output().contains("#"), r.output());
    assertTrue(r.millis() < 5_000, r.millis() + " ms");
  }

  @Test
  void anUnknownArgumentIsRefusedBeforeTheBuild() throws Exception {
    Run r = run(Map.of(), "--libery");
    assertEquals(2, r.status(), r.output());
    assertTrue(r.output().startsWith("[juggler] unknown argument: --libery\n"), r.output());
    assertTrue(r.output().contains("./run.sh --liberty"), r.output());
    assertFalse(r.output().contains("mvnw"), r.output());
  }
}
