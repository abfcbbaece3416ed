package io.juggler.client.cli;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * Where the CLI reads commands and prints lines. Printing is thread-safe (messages arrive on other
 * threads) and, on a terminal, keeps the prompt and the line being typed intact.
 */
interface Console extends AutoCloseable {

  /** The next line, {@code ""} when the user pressed ctrl-C, {@code null} at end of input. */
  String readLine(String prompt) throws IOException;

  void println(String line);

  /** Prints a line in red on a terminal. */
  void error(String line);

  /** True for a terminal with line editing; false when reading a pipe or a file. */
  boolean interactive();

  @Override
  void close();

  /** A JLine console when standard input and output are a terminal, else a plain one. */
  static Console system() throws IOException {
    if (isTerminal()) {
      return new JLineConsole();
    }
    return new PlainConsole(
        System.in, new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8"));
  }

  /** System.console() is null without a terminal on Java 17; Java 22+ adds isTerminal(). */
  private static boolean isTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      Method m = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) m.invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** Line editing and history ({@code ~/.juggler_cli_history}) from JLine. */
  final class JLineConsole implements Console {
    private final Terminal terminal;
    private final LineReader reader;

    JLineConsole() throws IOException {
      terminal = TerminalBuilder.builder().system(true).build();
      LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("juggler");
      String home = System.getProperty("user.home");
      if (home != null) {
        b.variable(LineReader.HISTORY_FILE, Path.of(home, ".juggler_cli_history"));
      }
      reader = b.build();
    }

    @Override
    public String readLine(String prompt) {
      try {
        return reader.readLine(prompt);
      } catch (UserInterruptException e) {
        return "";
      } catch (EndOfFileException e) {
        return null;
      }
    }

    @Override
    public synchronized void println(String line) {
      reader.printAbove(line);
    }

    @Override
    public synchronized void error(String line) {
      reader.printAbove(
          new AttributedString(line, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
    }

    @Override
    public boolean interactive() {
      return true;
    }

    @Override
    public void close() {
      try {
        reader.getHistory().save();
        terminal.close();
      } catch (IOException e) {
        // nothing left to report to
      }
    }
  }

  /** Reads lines from a stream, no prompt, no colours. */
  final class PlainConsole implements Console {
    private final BufferedReader in;
    private final PrintStream out;

    PlainConsole(InputStream in, PrintStream out) {
      this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      this.out = out;
    }

    @Override
    public String readLine(String prompt) throws IOException {
      return in.readLine();
    }

    @Override
    public synchronized void println(String line) {
      out.println(line);
    }

    @Override
    public synchronized void error(String line) {
      out.println(line);
    }

    @Override
    public boolean interactive() {
      return false;
    }

    @Override
    public void close() {
      out.flush();
    }
  }
}
