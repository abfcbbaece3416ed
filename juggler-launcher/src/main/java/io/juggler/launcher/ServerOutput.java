package io.juggler.launcher;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;

/**
 * Copies a server process's console output line by line to where it belongs (this process's
 * standard output, or a file) and watches for the line by which the server says it gave up, so that
 * nobody waits for a readiness that will never come: Payara Micro logs {@code Failed to start,
 * exiting} after a {@code java.net.BindException} and keeps its JVM running, and keeps running
 * without the application when its deployment fails; Open Liberty logs {@code CWWKO0221E} when its
 * port is taken and keeps retrying.
 */
final class ServerOutput {

  /**
   * The markers of one runtime: the line that says its port is taken, and the lines by which it
   * says it gave up (its process may stay up: Payara Micro keeps its JVM running, and keeps running
   * without the application after a failed deployment).
   */
  record Markers(String portTaken, List<String> gaveUp) {
    static final Markers PAYARA =
        new Markers(
            "java.net.BindException",
            List.of(
                "Failed to start, exiting", // the server itself (e.g. its port taken)
                "Exception while loading the app", // the application (e.g. a bad setting)
                "Exception while deploying the app"));
    static final Markers LIBERTY =
        new Markers(
            "CWWKO0221E", // its port is taken; it would retry for good
            List.of("CWWKO0221E", "CWWKZ0002E")); // CWWKZ0002E: the application did not start
  }

  private final Markers markers;
  private final String where;
  private volatile boolean portTaken;
  private volatile String gaveUp;

  private ServerOutput(Markers markers, String where) {
    this.markers = markers;
    this.where = where;
  }

  /**
   * Starts copying {@code process}'s output (stdout with stderr merged into it) on a daemon thread.
   *
   * @param file where to write it; {@code null}: this process's standard output
   */
  static ServerOutput copy(Process process, Markers markers, Path file) throws IOException {
    PrintStream out =
        file == null
            ? System.out
            : new PrintStream(new FileOutputStream(file.toFile()), true, Charset.defaultCharset());
    ServerOutput output =
        new ServerOutput(markers, file == null ? "its output above" : file.toString());
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), Charset.defaultCharset()))) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.println(line);
                  output.read(line);
                }
              } catch (IOException e) {
                // the process ended
              } finally {
                out.flush();
                if (file != null) {
                  out.close();
                }
              }
            },
            "server-output");
    t.setDaemon(true);
    t.start();
    return output;
  }

  /** One that reads nothing by itself: lines are given to {@link #read}. */
  static ServerOutput forTest(Markers markers) {
    return new ServerOutput(markers, "test");
  }

  void read(String line) {
    if (line.contains(markers.portTaken())) {
      portTaken = true;
    }
    if (gaveUp == null && markers.gaveUp().stream().anyMatch(line::contains)) {
      gaveUp = line.strip();
    }
  }

  /** True once the server said it gave up. */
  boolean gaveUp() {
    return gaveUp != null;
  }

  /** The line by which it gave up, or null. */
  String gaveUpLine() {
    return gaveUp;
  }

  /** True when the server could not listen on its port. */
  boolean portTaken() {
    return portTaken;
  }

  /** Where its output went, for messages. */
  String where() {
    return where;
  }
}
