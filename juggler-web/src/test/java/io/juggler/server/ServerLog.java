package io.juggler.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The log file of the server under test ({@code juggler.it.serverLog}: Payara Micro's {@code
 * --logtofile}, Open Liberty's {@code messages.log}, Payara Server's {@code server.log}), read from
 * a mark, for tests that must show a refusal left nothing above INFO.
 */
final class ServerLog {

  /**
   * A record at WARNING or SEVERE: Payara's {@code [WARNING]} (coloured by Payara Micro with ANSI
   * escapes), Liberty's level letter W or E.
   */
  private static final Pattern PROBLEM =
      Pattern.compile(
          "\\[(?:\\e\\[[\\d;]*m)?(WARNING|SEVERE)(?:\\e\\[[\\d;]*m)?\\]"
              + "|^\\[[^\\]]+\\] \\p{XDigit}+ \\S+\\s+[WE] ");

  private final Path file;
  private final long mark;

  private ServerLog(Path file, long mark) {
    this.file = file;
    this.mark = mark;
  }

  /** The log from now on. */
  static ServerLog fromNow() {
    Path file = Path.of(System.getProperty("juggler.it.serverLog"));
    try {
      return new ServerLog(file, Files.exists(file) ? Files.size(file) : 0);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  /** The whole log (every run of the server the build made so far, where they share a file). */
  static ServerLog whole() {
    return new ServerLog(Path.of(System.getProperty("juggler.it.serverLog")), 0);
  }

  /** Lines written since the mark (the whole file if it was rotated meanwhile). */
  List<String> lines() {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long from = f.length() >= mark ? mark : 0;
      byte[] bytes = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  /** Lines since the mark that start a WARNING or SEVERE record. */
  List<String> problems() {
    return lines().stream().filter(l -> PROBLEM.matcher(l).find()).toList();
  }
}
