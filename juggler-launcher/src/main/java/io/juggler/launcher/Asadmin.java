package io.juggler.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payara Server's {@code asadmin}, run as {@code bin/asadmin} runs it ({@code java -jar
 * glassfish/lib/client/appserver-cli.jar}) with this JVM's {@code java}, non-interactively. Each
 * command's output goes to a log file (or this process's output); a failed command throws with that
 * output.
 */
final class Asadmin {

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private static final Pattern FAILED = Pattern.compile("(?m)^Command (\\S+) failed\\.$");

  private final Path payara;
  private final int adminPort;
  private final Path log;
  private final boolean announce;

  /**
   * @param payara the installation ({@code payara6}, holding {@code glassfish/})
   * @param adminPort the domain's admin port, given to every command as {@code --port}
   * @param log where each command and its output are appended
   * @param announce whether to print each command line as it runs
   */
  Asadmin(Path payara, int adminPort, Path log, boolean announce) {
    this.payara = payara;
    this.adminPort = adminPort;
    this.log = log;
    this.announce = announce;
  }

  static Path cliJar(Path payara) {
    return payara.resolve("glassfish/lib/client/appserver-cli.jar");
  }

  /** Runs one command; throws if asadmin exits with an error. */
  String run(String... command) throws IOException, InterruptedException {
    return run(null, command);
  }

  /**
   * Runs one command in a new session ({@code setsid}, where there is one), so that what it leaves
   * running, such as the server that {@code start-domain} starts, gets no signal meant for this
   * process's terminal (Ctrl-C).
   */
  String runDetached(String... command) throws IOException, InterruptedException {
    return run(null, Files.isExecutable(SETSID), command);
  }

  /** Runs one command with a {@code --passwordfile} (may be null); throws on failure. */
  String run(Path passwordFile, String... command) throws IOException, InterruptedException {
    return run(passwordFile, false, command);
  }

  private String run(Path passwordFile, boolean newSession, String... command)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (newSession) {
      cmd.add(SETSID.toString());
      cmd.add("--wait");
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(cliJar(payara).toString());
    cmd.add("--port");
    cmd.add(Integer.toString(adminPort));
    cmd.add("--interactive=false");
    if (passwordFile != null) {
      cmd.add("--passwordfile");
      cmd.add(passwordFile.toString());
    }
    cmd.addAll(List.of(command));
    if (announce) {
      System.out.println("[juggler] asadmin " + String.join(" ", command));
    }
    // output to a file, not a pipe: a server started by start-domain must not hold our pipe, and
    // the time limit below must hold however much asadmin writes
    Path out = Files.createTempFile(log.toAbsolutePath().getParent(), "asadmin", ".out");
    String output;
    try {
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
      // multimode's line reader asks the terminal's capabilities: none here
      pb.environment().put("TERM", "dumb");
      Process p = pb.start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("asadmin " + String.join(" ", command) + " timed out");
      }
      output = Files.readString(out, StandardCharsets.UTF_8);
      record("asadmin " + String.join(" ", command), output);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "asadmin "
                + String.join(" ", command)
                + " failed (exit "
                + p.exitValue()
                + "):\n"
                + output);
      }
    } finally {
      Files.deleteIfExists(out);
    }
    return output;
  }

  /**
   * Runs the commands of {@code file} in one asadmin ({@code multimode --file}). multimode goes on
   * after a failed command and exits 0, so its output is checked: any failed command other than
   * those named in {@code mayFail} throws.
   */
  String multimode(Path file, Path passwordFile, List<String> mayFail)
      throws IOException, InterruptedException {
    String out = run(passwordFile, "multimode", "--file", file.toString());
    for (String failed : failedCommands(out)) {
      if (!mayFail.contains(failed)) {
        throw new IllegalStateException(
            "asadmin " + failed + " failed (commands in " + file + "):\n" + out);
      }
    }
    return out;
  }

  /** The commands that multimode's output reports as failed, in order. */
  static List<String> failedCommands(String output) {
    List<String> failed = new ArrayList<>();
    Matcher m = FAILED.matcher(output);
    while (m.find()) {
      failed.add(m.group(1));
    }
    return failed;
  }

  private void record(String what, String out) throws IOException {
    String text = "$ " + what + "\n" + out + (out.endsWith("\n") ? "" : "\n");
    Files.writeString(
        log, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }
}
