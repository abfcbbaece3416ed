package io.juggler.client.cli;

import io.juggler.client.JsonArgs;
import io.juggler.client.tool.Durations;
import io.juggler.client.tool.UsageException;
import io.juggler.message.RawJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses CLI command lines. Words are separated by blanks; the last argument of {@code send},
 * {@code call}, {@code pub} and {@code close} is the rest of the line. Call and publication
 * arguments are sent as a JSON string, or as raw JSON when wrapped in backticks ({@code
 * `{"a":1}`}). Lines that are blank or start with {@code #} are ignored.
 */
final class Commands {

  /** Usage and help of one command, for {@code help} and for errors. */
  record Entry(String name, String usage, String help) {}

  static final int DEFAULT_RAND_BYTES = 20;
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

  private static final Map<String, Entry> CATALOGUE = new TreeMap<>();

  static {
    add("?", "? or help", "list all commands");
    add("help", "? or help", "list all commands");
    add("exit", "exit or ctrl-D", "quit");
    add("connect", "connect [URL [PROTO]]", "open a connection (defaults from the command line)");
    add("disconnect", "disconnect CONN_ID", "drop a connection without a close frame");
    add(
        "close",
        "close CONN_ID [STATUS_TEXT]",
        "send a close frame 1001 (going away) with the text (default bye)");
    add("send", "send CONN_ID MSG", "send the rest of the line as a raw text frame");
    add(
        "call",
        "call CONN_ID URI [TIMEOUT [ARGS]]",
        "CALL; TIMEOUT like 5s or 300ms; ARGS as a JSON string, or raw JSON in backticks");
    add(
        "pub",
        "pub CONN_ID CHANNEL [ARGS]",
        "PUB; ARGS as a JSON string (empty when absent), or raw JSON in backticks");
    add("sub", "sub CONN_ID CHANNEL", "subscribe to a channel");
    add("psub", "psub CONN_ID CHANNEL_PATTERN", "subscribe to a pattern, e.g. news.*");
    add("unsb", "unsb CONN_ID CHANNEL", "unsubscribe from a channel");
    add("punsb", "punsb CONN_ID CHANNEL_PATTERN", "unsubscribe from a pattern");
    add(
        "rand",
        "rand CONN_ID [N_BYTES]",
        "send N random characters (default 20) as a text frame: the server drops the connection");
    add(
        "wait",
        "wait [TIMEOUT]",
        "wait until every request sent so far is answered (default 10s; for scripts)");
  }

  private Commands() {}

  private static void add(String name, String usage, String help) {
    CATALOGUE.put(name, new Entry(name, usage, help));
  }

  /** Every command, sorted by name. */
  static List<Entry> catalogue() {
    List<Entry> all = new ArrayList<>(CATALOGUE.values());
    all.sort(Comparator.comparing(Entry::name));
    return all;
  }

  /** The help text: one line per command, sorted by name. */
  static String helpText() {
    int width = catalogue().stream().mapToInt(e -> e.usage().length()).max().orElse(0) + 2;
    StringBuilder sb = new StringBuilder();
    for (Entry e : catalogue()) {
      sb.append("  ")
          .append(e.usage())
          .append(" ".repeat(width - e.usage().length()))
          .append(e.help())
          .append('\n');
    }
    return sb.toString();
  }

  /** Thrown for a command name that does not exist. */
  static final class UnknownCommandException extends UsageException {
    private static final long serialVersionUID = 1L;

    UnknownCommandException(String name) {
      super("unknown command: \"" + name + "\"");
    }
  }

  /**
   * Parses one line.
   *
   * @return the command, or {@code null} for a blank line or a comment
   * @throws UsageException with {@code usage: ...} when arguments are missing or invalid, or {@link
   *     UnknownCommandException}
   */
  static Command parse(String line) throws UsageException {
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return null;
    }
    String[] head = split(trimmed, 2);
    String name = head[0];
    String rest = head.length > 1 ? head[1] : "";
    Entry entry = CATALOGUE.get(name);
    if (entry == null) {
      throw new UnknownCommandException(name);
    }
    String usage = "usage: " + entry.usage();
    switch (name) {
      case "?", "help":
        return new Command.Help();
      case "exit":
        return new Command.Exit();
      case "connect":
        {
          String[] a = split(rest, 3);
          if (a.length > 2) {
            throw new UsageException(usage);
          }
          return new Command.Connect(a.length > 0 ? a[0] : null, a.length > 1 ? a[1] : null);
        }
      case "disconnect":
        {
          String[] a = args(rest, 1, 1, usage);
          return new Command.Disconnect(conn(a[0]));
        }
      case "close":
        {
          String[] a = args(rest, 1, 2, usage);
          return new Command.Close(conn(a[0]), a.length > 1 ? a[1] : "bye");
        }
      case "send":
        {
          String[] a = args(rest, 2, 2, usage);
          return new Command.Send(conn(a[0]), a[1]);
        }
      case "call":
        {
          String[] a = args(rest, 2, 4, usage);
          Duration timeout = a.length > 2 ? duration(a[2]) : null;
          RawJson callArgs = a.length > 3 ? jsonArgs(a[3]) : RawJson.NULL;
          return new Command.Call(conn(a[0]), a[1], timeout, callArgs);
        }
      case "pub":
        {
          String[] a = args(rest, 2, 3, usage);
          RawJson pubArgs = a.length > 2 ? jsonArgs(a[2]) : RawJson.string("");
          return new Command.Pub(conn(a[0]), a[1], pubArgs);
        }
      case "sub", "psub":
        {
          String[] a = args(rest, 2, 2, usage);
          if (a[1].chars().anyMatch(Character::isWhitespace)) {
            throw new UsageException(usage);
          }
          return new Command.Sub(conn(a[0]), a[1], name.equals("psub"));
        }
      case "unsb", "punsb":
        {
          String[] a = args(rest, 2, 2, usage);
          if (a[1].chars().anyMatch(Character::isWhitespace)) {
            throw new UsageException(usage);
          }
          return new Command.Unsb(conn(a[0]), a[1], name.equals("punsb"));
        }
      case "rand":
        {
          String[] a = args(rest, 1, 2, usage);
          int n = DEFAULT_RAND_BYTES;
          if (a.length > 1) {
            try {
              n = Integer.parseInt(a[1]);
            } catch (NumberFormatException e) {
              n = -1;
            }
            if (n < 1) {
              throw new UsageException("invalid N_BYTES \"" + a[1] + "\"; " + usage);
            }
          }
          return new Command.Rand(conn(a[0]), n);
        }
      case "wait":
        {
          String[] a = args(rest, 0, 1, usage);
          return new Command.Wait(a.length > 0 ? duration(a[0]) : DEFAULT_WAIT);
        }
      default:
        throw new UnknownCommandException(name);
    }
  }

  /** Splits into at least {@code min} and at most {@code max} words, the last one the rest. */
  private static String[] args(String rest, int min, int max, String usage) throws UsageException {
    String[] a = split(rest, max);
    if (a.length < min) {
      throw new UsageException(usage);
    }
    return a;
  }

  /** Like Go's strings.SplitN on runs of blanks: at most {@code n} words, the last the rest. */
  static String[] split(String s, int n) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int len = s.length();
    while (i < len && out.size() < n) {
      while (i < len && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i == len) {
        break;
      }
      if (out.size() == n - 1) {
        out.add(s.substring(i).strip());
        break;
      }
      int start = i;
      while (i < len && !Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      out.add(s.substring(start, i));
    }
    return out.toArray(String[]::new);
  }

  private static int conn(String s) throws UsageException {
    try {
      int n = Integer.parseInt(s);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("invalid connection id \"" + s + "\"");
  }

  private static Duration duration(String s) throws UsageException {
    try {
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Backticks: raw JSON (validated); anything else: a JSON string. */
  static RawJson jsonArgs(String s) throws UsageException {
    if (s.length() >= 2 && s.startsWith("`") && s.endsWith("`")) {
      try {
        return JsonArgs.parse(s.substring(1, s.length() - 1));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    return RawJson.string(s);
  }
}
