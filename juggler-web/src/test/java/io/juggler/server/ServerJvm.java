package io.juggler.server;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM of the server under test, looked at from outside with {@code jcmd} as an operator would:
 * thread dumps and the live heap after a full collection. Found by its command line: the Payara
 * Micro serving the deployment's port, or the Open Liberty ({@code liberty.wlpHome}) or Payara
 * Server ({@code payara.home}) of this build.
 */
final class ServerJvm {

  private final long pid;

  private ServerJvm(long pid) {
    this.pid = pid;
  }

  /** The server process behind {@code base}; fails the test when there is none. */
  static ServerJvm of(URI base) {
    String port = Integer.toString(base.getPort());
    String launch = System.getProperty("arquillian.launch", "payara-micro");
    String home =
        launch.equals("liberty")
            ? System.getProperty("liberty.wlpHome")
            : System.getProperty("payara.home");
    Optional<ProcessHandle> found =
        ProcessHandle.allProcesses()
            .filter(
                p -> {
                  String cmd = p.info().commandLine().orElse("");
                  return switch (launch) {
                    case "liberty" ->
                        home != null && cmd.contains(home) && cmd.contains("ws-server");
                    case "payara-server" ->
                        home != null && cmd.contains(home) && cmd.contains("ASMain");
                    default -> cmd.contains("payara-micro") && cmd.contains("--port " + port);
                  };
                })
            .findFirst();
    return new ServerJvm(
        found.orElseThrow(() -> new AssertionError("no server process for " + base)).pid());
  }

  /** Sockets the process holds open (its descriptors that are sockets, from {@code /proc}). */
  long sockets() {
    try (var fds = java.nio.file.Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                  return false; // closed while listed
                }
              })
          .count();
    } catch (IOException e) {
      throw new AssertionError("cannot list the descriptors of " + pid, e);
    }
  }

  /** A thread dump ({@code jcmd <pid> Thread.print}). */
  String threadDump() {
    return jcmd("Thread.print");
  }

  /** How many threads of the dump have {@code frame} in their stack. */
  long threadsIn(String frame) {
    return threadDump().lines().filter(l -> l.contains(frame)).count();
  }

  /** Bytes of live objects, after the full collection {@code GC.class_histogram} makes. */
  long liveHeapBytes() {
    Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(jcmd("GC.class_histogram"));
    if (!m.find()) {
      throw new AssertionError("no total in the class histogram of " + pid);
    }
    return Long.parseLong(m.group(1));
  }

  private String jcmd(String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("jcmd " + command + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run jcmd", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
