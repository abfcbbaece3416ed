package io.juggler.client.cli;

import io.juggler.client.JsonArgs;
import io.juggler.client.commandline.Durations;
import io.juggler.client.commandline.UsageException;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Parses CLI command lines. Words are separated by blanks; the last argument of {@code send},
 * {@code call}, {@code pub} and {@code close} is the rest of the line. The connection id may be
 * left out when one connection is open: a first argument made of digits only is a connection id,
 * anything else is the next argument ({@link Command#ONLY} then stands for the open connection).
 * Call and publication arguments are sent as raw JSON when they parse as one JSON value ({@code
 * {"a":1}}, {@code 42}, {@code "text"}), as raw JSON when wrapped in backticks (the reference
 * client's form, validated), and as a JSON string otherwise ({@code hello world}). Lines that are
 * blank or start with {@code #} are ignored.
 */
final class Commands {

  /** Usage and help of one command, for {@code help} and for errors. */
  record Entry(String name, String usage, String help) {}

  static final int DEFAULT_RAND_BYTES = 20;
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

  private static final Map<String, Entry> CATALOGUE = new TreeMap<>();

  /** Other names of a command. */
  private static final Map<String, String> ALIASES = Map.of("?", "help");

  /** A word meant as a duration: digits first, a unit after (and not a JSON number like 1e3). */
  private static final Pattern DURATION_LIKE = Pattern.compile("[+-]?[0-9][0-9.]*[a-zA-Z\u00b5].*");

  static {
    add("help", "help or ?", "list the commands");
    add("exit", "exit or ctrl-D", "quit");
    add(
        "connect",
        "connect [URL [PROTO]]",
        "open a connection, numbered from 1 (defaults from the command line)");
    add("disconnect", "disconnect [CONN_ID]", "drop a connection without a close frame");
    add(
        "close",
        "close [CONN_ID] [STATUS_TEXT]",
        "send a close frame 1001 (going away) with the text (default bye)");
    add("send", "send [CONN_ID] MSG", "send the rest of the line as a raw text frame");
    add(
        "call",
        "call [CONN_ID] URI [TIMEOUT] [ARGS]",
        "CALL; TIMEOUT like 5s or 300ms (default --call-timeout); ARGS: JSON, `JSON`, or text");
    add(
        "pub",
        "pub [CONN_ID] CHANNEL [ARGS]",
        "PUB; ARGS as for call (the empty string when absent)");
    add("sub", "sub [CONN_ID] CHANNEL", "subscribe to a channel");
    add("psub", "psub [CONN_ID] CHANNEL_PATTERN", "subscribe to a pattern, e.g. news.*");
    add("unsb", "unsb [CONN_ID] CHANNEL", "unsubscribe from a channel");
    add("punsb", "punsb [CONN_ID] CHANNEL_PATTERN", "unsubscribe from a pattern");
    add(
        "rand",
        "rand [CONN_ID [N_BYTES]]",
        "send N random characters (default 20) as a text frame: the server drops the connection");
    add("cancel", "cancel [CONN_ID] CALL_UUID", "cancel a pending call (Juggler EE servers)");
    add(
        "resume",
        "resume [CONN_ID]",
        "open a new connection resuming CONN_ID's session (connections have one with --session)");
    add(
        "wait",
        "wait [TIMEOUT]",
        "wait until every request sent so far is answered (default 10s; for scripts)");
  }

  private Commands() {}

  private static void add(String name, String usage, String help) {
    CATALOGUE.put(name, new Entry(name, usage, help));
  }

  /** Every command once, sorted by name. */
  static List<Entry> catalogue() {
    List<Entry> all = new ArrayList<>(CATALOGUE.values());
    all.sort(Comparator.comparing(Entry::name));
    return all;
  }

  /** The help text: one line per command, sorted by name, then how arguments are read. */
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
    sb.append(
        "CONN_ID may be left out while one connection is open. ARGS: one JSON value is sent as"
            + " it is\n(call test.echo {\"hi\":1}), `JSON` too, anything else as a JSON string"
            + " (call test.echo hello).\n");
    return sb.toString();
  }

  /** Thrown for a command name that does not exist. */
  static final class UnknownCommandException extends UsageException {
    private static final long serialVersionUID = 1L;

    UnknownCommandException(String name) {
      super("unknown command: \"" + name + "\" (help lists the commands)");
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
    String name = ALIASES.getOrDefault(head[0], head[0]);
    String rest = head.length > 1 ? head[1] : "";
    Entry entry = CATALOGUE.get(name);
    if (entry == null) {
      throw new UnknownCommandException(head[0]);
    }
    String usage = "usage: " + entry.usage();
    switch (name) {
      case "help":
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
          Target t = target(rest);
          if (!t.rest().isEmpty()) {
            throw new UsageException(usage);
          }
          return new Command.Disconnect(t.conn());
        }
      case "close":
        {
          Target t = target(rest);
          return new Command.Close(t.conn(), t.rest().isEmpty() ? "bye" : t.rest());
        }
      case "send":
        {
          Target t = target(rest);
          if (t.rest().isEmpty()) {
            throw new UsageException(usage);
          }
          return new Command.Send(t.conn(), t.rest());
        }
      case "call":
        {
          Target t = target(rest);
          String[] a = split(t.rest(), 2);
          if (a.length < 1) {
            throw new UsageException(usage);
          }
          Duration timeout = null;
          String args = a.length > 1 ? a[1] : "";
          String[] b = split(args, 2);
          if (b.length > 0) {
            Duration d = timeout(b[0], usage);
            if (d != null) {
              timeout = d;
              args = b.length > 1 ? b[1] : "";
            }
          }
          return new Command.Call(
              t.conn(), a[0], timeout, args.isEmpty() ? RawJson.NULL : jsonArgs(args));
        }
      case "pub":
        {
          Target t = target(rest);
          String[] a = split(t.rest(), 2);
          if (a.length < 1) {
            throw new UsageException(usage);
          }
          RawJson pubArgs = a.length > 1 ? jsonArgs(a[1]) : RawJson.string("");
          return new Command.Pub(t.conn(), a[0], pubArgs);
        }
      case "sub", "psub":
        {
          Target t = target(rest);
          if (t.rest().isEmpty() || t.rest().chars().anyMatch(Character::isWhitespace)) {
            throw new UsageException(usage);
          }
          return new Command.Sub(t.conn(), t.rest(), name.equals("psub"));
        }
      case "unsb", "punsb":
        {
          Target t = target(rest);
          if (t.rest().isEmpty() || t.rest().chars().anyMatch(Character::isWhitespace)) {
            throw new UsageException(usage);
          }
          return new Command.Unsb(t.conn(), t.rest(), name.equals("punsb"));
        }
      case "rand":
        {
          Target t = target(rest);
          int n = DEFAULT_RAND_BYTES;
          if (!t.rest().isEmpty()) {
            try {
              n = Integer.parseInt(t.rest());
            } catch (NumberFormatException e) {
              n = -1;
            }
            if (n < 1 || t.conn() == Command.ONLY) {
              throw new UsageException("invalid N_BYTES \"" + t.rest() + "\"; " + usage);
            }
          }
          return new Command.Rand(t.conn(), n);
        }
      case "cancel":
        {
          Target t = target(rest);
          String uuid = Uuids.normalize(t.rest());
          if (uuid == null) {
            throw new UsageException(usage);
          }
          return new Command.Cancel(t.conn(), uuid);
        }
      case "resume":
        {
          Target t = target(rest);
          if (!t.rest().isEmpty()) {
            throw new UsageException(usage);
          }
          return new Command.Resume(t.conn());
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

  /** The connection a command is for, and the rest of its arguments. */
  private record Target(int conn, String rest) {}

  /** A leading word of digits is the connection id; otherwise the only open connection. */
  private static Target target(String rest) throws UsageException {
    String[] a = split(rest, 2);
    if (a.length > 0 && a[0].chars().allMatch(c -> c >= '0' && c <= '9')) {
      return new Target(conn(a[0]), a.length > 1 ? a[1] : "");
    }
    return new Target(Command.ONLY, rest.strip());
  }

  /**
   * The word as a TIMEOUT, or null when it is not meant as one (then it starts ARGS).
   *
   * @throws UsageException for a word shaped like a duration that is not one ({@code 5sec})
   */
  private static Duration timeout(String word, String usage) throws UsageException {
    try {
      return Durations.parse(word);
    } catch (IllegalArgumentException e) {
      if (DURATION_LIKE.matcher(word).matches() && !isJsonNumber(word)) {
        throw new UsageException(e.getMessage() + "; " + usage);
      }
      return null;
    }
  }

  private static boolean isJsonNumber(String word) {
    try {
      return JsonArgs.toValue(RawJson.of(word)) instanceof jakarta.json.JsonNumber;
    } catch (IllegalArgumentException e) {
      return false;
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

  /**
   * Backticks: raw JSON (validated, the reference client's form); one JSON value: as it is;
   * anything else: a JSON string.
   */
  static RawJson jsonArgs(String s) throws UsageException {
    if (s.length() >= 2 && s.startsWith("`") && s.endsWith("`")) {
      try {
        return JsonArgs.parse(s.substring(1, s.length() - 1));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    try {
      return JsonArgs.parse(s);
    } catch (IllegalArgumentException e) {
      return RawJson.string(s);
    }
  }
}
