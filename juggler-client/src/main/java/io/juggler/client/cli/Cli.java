package io.juggler.client.cli;

import io.juggler.client.commandline.CommandLine;
import io.juggler.client.commandline.UsageException;
import io.juggler.message.Protocol;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The interactive juggler client (spec section 11.2).
 *
 * <pre>
 * java -jar juggler-client/target/juggler-cli.jar [--url ws://localhost:8080/ws]
 * </pre>
 *
 * <p>With {@code --url} it connects at start (connection 1). Reads one command per line ({@code
 * help} lists them), from a terminal with line editing and history, or from a pipe. At the end of
 * piped input it waits up to 10 s for unanswered requests before it closes the connections, so
 * scripts see their answers. Exit status: 0, or 2 for a bad command line.
 */
public final class Cli {

  static final String DEFAULT_URL = "ws://localhost:8080/ws";
  static final String DEFAULT_TIMESTAMP = "MMM ppd HH:mm:ss.SSS";

  static final CommandLine OPTIONS =
      new CommandLine(
              "java -jar juggler-cli.jar [OPTIONS]",
              "Interactive juggler.0 client: open numbered connections, then call, publish and"
                  + " subscribe;\nevery message sent and received is printed. Type help at the"
                  + " prompt for the commands.")
          .option(
              "url",
              "URL",
              "connect to URL at start; also the URL of connect (default " + DEFAULT_URL + ")")
          .option("addr", "URL", "same as --url (the reference client's name)")
          .option("proto", "PROTO", "default subprotocol for connect (default juggler.0)")
          .repeatable(
              "header",
              "NAME:VALUE",
              "handshake header, e.g. Juggler-Allowed-Messages:call,pub (repeatable)")
          .option("token", "TOKEN", CommandLine.TOKEN_HELP)
          .option("call-timeout", "DURATION", "timeout of calls that give none (default 60s)")
          .flag(
              "session",
              "ask for a resumable session on every connection (Juggler EE servers), for resume")
          .option(
              "timestamp",
              "PATTERN",
              "java.time pattern prefixing printed lines, empty for none (default \""
                  + DEFAULT_TIMESTAMP
                  + "\")");

  private Cli() {}

  public static void main(String[] args) throws IOException {
    System.exit(run(args, System.err));
  }

  /** Runs the CLI on the system console; returns the exit status. */
  static int run(String[] args, PrintStream err) throws IOException {
    Session.Defaults defaults;
    try {
      CommandLine.Parsed p = OPTIONS.parse(args);
      if (p.help()) {
        System.out.print(OPTIONS.usage());
        return 0;
      }
      defaults = defaults(p);
    } catch (UsageException e) {
      err.println("juggler-cli: " + e.getMessage());
      err.println();
      err.print(OPTIONS.usage());
      return 2;
    }
    try (Console console = Console.system()) {
      loop(console, defaults);
    }
    return 0;
  }

  static Session.Defaults defaults(CommandLine.Parsed p) throws UsageException {
    if (p.has("url") && p.has("addr")) {
      throw new UsageException("give --url or --addr, not both");
    }
    String url = p.string("url", p.string("addr", DEFAULT_URL));
    String pattern = p.string("timestamp", DEFAULT_TIMESTAMP);
    DateTimeFormatter timestamps;
    try {
      timestamps = pattern.isEmpty() ? null : DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--timestamp: " + e.getMessage());
    }
    return new Session.Defaults(
        url,
        p.string("proto", Protocol.SUBPROTOCOL),
        p.headersWithToken("header", System.getenv("JUGGLER_TOKEN")),
        p.duration("call-timeout", Duration.ofMinutes(1), Duration.ofMillis(1)),
        timestamps,
        p.has("url") || p.has("addr"),
        p.flag("session"));
  }

  /** Reads and runs commands until {@code exit} or the end of input. */
  static void loop(Console console, Session.Defaults defaults) throws IOException {
    Session session = new Session(console, defaults);
    if (console.interactive()) {
      console.println(
          "Juggler client: "
              + (defaults.connectAtStart()
                  ? "connecting to " + defaults.url()
                  : "connect to " + defaults.url() + " with connect")
              + "; help lists the commands, exit or ctrl-D quits.");
    }
    if (defaults.connectAtStart()) {
      session.execute(new Command.Connect(null, null));
    }
    while (true) {
      String line = console.readLine("juggler> ");
      if (line == null) {
        if (!console.interactive()) {
          session.awaitInflight(Commands.DEFAULT_WAIT, false);
        }
        break;
      }
      Command command;
      try {
        command = Commands.parse(line);
      } catch (UsageException e) {
        console.error(e.getMessage());
        continue;
      }
      if (command != null && !session.execute(command)) {
        break;
      }
    }
    session.closeAll();
  }
}
