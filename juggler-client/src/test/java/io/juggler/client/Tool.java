package io.juggler.client;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the module's executable JARs run as a child process, the way an operator runs it: lines
 * can be written to its stdin, and its output lines are awaited with bounded waits ({@link
 * #expect}). The process is killed on {@link #close()} if still running.
 */
final class Tool implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(20);

  private final Process process;
  private final Writer stdin;
  private final List<String> lines = new ArrayList<>();
  private final List<Boolean> consumed = new ArrayList<>();
  private final StringBuilder stderr = new StringBuilder();

  private Tool(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    pump(process.getInputStream(), true);
    pump(process.getErrorStream(), false);
  }

  /** Starts {@code java -jar <the jar named by the system property> args...}. */
  static Tool start(String jarProperty, String... args) throws IOException {
    String jar = System.getProperty(jarProperty);
    assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), jarProperty + " = " + jar);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar);
    cmd.addAll(List.of(args));
    return new Tool(new ProcessBuilder(cmd).start());
  }

  private void pump(java.io.InputStream in, boolean out) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (this) {
                    if (out) {
                      lines.add(line);
                      consumed.add(false);
                    } else {
                      stderr.append(line).append('\n');
                    }
                    notifyAll();
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "tool-output");
    t.setDaemon(true);
    t.start();
  }

  /** Writes one line to the tool's stdin. */
  void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** Closes the tool's stdin (end of input). */
  void endInput() throws IOException {
    stdin.close();
  }

  /**
   * Waits for an output line, not matched before, in which {@code regex} is found; returns the
   * match (groups included). Lines may match in any order, since connections print concurrently.
   */
  synchronized Matcher expect(String regex) {
    Pattern p = Pattern.compile(regex);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = p.matcher(lines.get(i));
        if (!consumed.get(i) && m.find()) {
          consumed.set(i, true);
          return m;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("no line matching " + regex + " within " + WAIT + "; output:\n" + output());
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** Waits for the process to end and returns its exit status. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      fail("still running after 60 s; output:\n" + output());
    }
    return process.exitValue();
  }

  /** Everything printed so far, stdout then stderr. */
  synchronized String output() {
    return String.join("\n", lines) + "\n--- stderr:\n" + stderr;
  }

  /** Standard output so far. */
  synchronized String stdout() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
