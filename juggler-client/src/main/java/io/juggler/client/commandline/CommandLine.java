package io.juggler.client.commandline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool's command-line options: parses {@code --name value}, {@code --name=value} and boolean
 * {@code --flag} (one leading dash works too, as with Go's flag package), and prints the usage text
 * made from the same declarations. {@code -h}, {@code --help} and {@code -help} ask for help.
 */
public final class CommandLine {

  /**
   * One option.
   *
   * @param valueName shown in the usage, e.g. {@code N}; {@code null} for a boolean flag
   * @param repeatable whether it may be given several times
   */
  public record Option(String name, String valueName, boolean repeatable, String help) {
    public boolean takesValue() {
      return valueName != null;
    }
  }

  private final String synopsis;
  private final String description;
  private final Map<String, Option> options = new LinkedHashMap<>();

  /**
   * @param synopsis the first usage line, e.g. {@code java -jar juggler-load.jar [OPTIONS]}
   * @param description a paragraph printed under it
   */
  public CommandLine(String synopsis, String description) {
    this.synopsis = synopsis;
    this.description = description;
  }

  /** Declares an option taking a value. */
  public CommandLine option(String name, String valueName, String help) {
    options.put(name, new Option(name, valueName, false, help));
    return this;
  }

  /** Declares an option that may be given several times. */
  public CommandLine repeatable(String name, String valueName, String help) {
    options.put(name, new Option(name, valueName, true, help));
    return this;
  }

  /** Declares a boolean flag. */
  public CommandLine flag(String name, String help) {
    options.put(name, new Option(name, null, false, help));
    return this;
  }

  /** The usage text: synopsis, description and one line per option. */
  public String usage() {
    StringBuilder sb = new StringBuilder("Usage: ").append(synopsis).append("\n\n");
    if (!description.isEmpty()) {
      sb.append(description).append("\n\n");
    }
    sb.append("Options:\n");
    List<String> heads = new ArrayList<>();
    for (Option o : options.values()) {
      heads.add("  --" + o.name() + (o.takesValue() ? " " + o.valueName() : ""));
    }
    heads.add("  -h, --help");
    int width = heads.stream().mapToInt(String::length).max().orElse(0) + 2;
    int i = 0;
    for (Option o : options.values()) {
      String head = heads.get(i++);
      sb.append(head).append(" ".repeat(width - head.length())).append(o.help()).append('\n');
    }
    String help = heads.get(i);
    sb.append(help).append(" ".repeat(width - help.length())).append("print this help\n");
    return sb.toString();
  }

  /**
   * Parses {@code args}; {@link Parsed#help()} is true when help was asked for (nothing else is
   * checked then).
   *
   * @throws UsageException for an unknown option, a missing value, a repeated option or a
   *     positional argument
   */
  public Parsed parse(String... args) throws UsageException {
    Map<String, List<String>> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-h") || arg.equals("--help") || arg.equals("-help")) {
        return new Parsed(Map.of(), true);
      }
      if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
        throw new UsageException("unexpected argument \"" + arg + "\"");
      }
      String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
      String inline = null;
      int eq = body.indexOf('=');
      if (eq >= 0) {
        inline = body.substring(eq + 1);
        body = body.substring(0, eq);
      }
      Option o = options.get(body);
      if (o == null) {
        throw new UsageException("unknown option --" + body);
      }
      String value;
      if (!o.takesValue()) {
        if (inline != null && !inline.equals("true") && !inline.equals("false")) {
          throw new UsageException("--" + body + " takes no value");
        }
        value = inline == null ? "true" : inline;
      } else if (inline != null) {
        value = inline;
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("--" + body + " needs a value (" + o.valueName() + ")");
      }
      List<String> list = values.computeIfAbsent(body, k -> new ArrayList<>());
      if (!list.isEmpty() && !o.repeatable()) {
        throw new UsageException("--" + body + " given twice");
      }
      list.add(value);
    }
    return new Parsed(values, false);
  }

  /**
   * Parses {@code args} for a tool that exits itself: with {@code -h} or {@code --help}, prints the
   * usage and exits 0; for a command line that cannot be run, prints why and the usage on stderr
   * and exits 2.
   *
   * @param tool the tool's name, before the error message
   */
  public Parsed parseOrExit(String tool, String... args) {
    try {
      Parsed p = parse(args);
      if (p.help()) {
        System.out.print(usage());
        System.exit(0);
      }
      return p;
    } catch (UsageException e) {
      System.err.println(tool + ": " + e.getMessage());
      System.err.println();
      System.err.print(usage());
      System.exit(2);
      throw new IllegalStateException("exited", e);
    }
  }

  /** Parsed options with typed, validated accessors. */
  public static final class Parsed {
    private final Map<String, List<String>> values;
    private final boolean help;

    private Parsed(Map<String, List<String>> values, boolean help) {
      this.values = values;
      this.help = help;
    }

    public boolean help() {
      return help;
    }

    public boolean has(String name) {
      return values.containsKey(name);
    }

    public String string(String name, String defaultValue) {
      List<String> v = values.get(name);
      return v == null ? defaultValue : v.get(0);
    }

    public List<String> strings(String name) {
      return values.getOrDefault(name, List.of());
    }

    public boolean flag(String name) {
      return Boolean.parseBoolean(string(name, "false"));
    }

    /** An integer of at least {@code min}. */
    public int integer(String name, int defaultValue, int min) throws UsageException {
      String v = string(name, null);
      if (v == null) {
        return defaultValue;
      }
      int n;
      try {
        n = Integer.parseInt(v.trim());
      } catch (NumberFormatException e) {
        throw new UsageException("--" + name + " must be an integer, not \"" + v + "\"");
      }
      if (n < min) {
        throw new UsageException("--" + name + " must be at least " + min + ", not " + n);
      }
      return n;
    }

    /** A positive number. */
    public double positiveNumber(String name, double defaultValue) throws UsageException {
      String v = string(name, null);
      if (v == null) {
        return defaultValue;
      }
      double d;
      try {
        d = Double.parseDouble(v.trim());
      } catch (NumberFormatException e) {
        throw new UsageException("--" + name + " must be a number, not \"" + v + "\"");
      }
      if (!(d > 0) || Double.isInfinite(d)) {
        throw new UsageException("--" + name + " must be a positive number, not " + v);
      }
      return d;
    }

    /** A Go-style duration of at least {@code min}. */
    public Duration duration(String name, Duration defaultValue, Duration min)
        throws UsageException {
      String v = string(name, null);
      if (v == null) {
        return defaultValue;
      }
      Duration d;
      try {
        d = Durations.parse(v.trim());
      } catch (IllegalArgumentException e) {
        throw new UsageException("--" + name + ": " + e.getMessage());
      }
      if (d.compareTo(min) < 0) {
        throw new UsageException(
            "--" + name + " must be at least " + Durations.format(min) + ", not " + v);
      }
      return d;
    }

    /** {@code NAME:VALUE} pairs (HTTP headers). */
    public List<Map.Entry<String, String>> headers(String name) throws UsageException {
      List<Map.Entry<String, String>> out = new ArrayList<>();
      for (String h : strings(name)) {
        int colon = h.indexOf(':');
        if (colon <= 0) {
          throw new UsageException("--" + name + " must be NAME:VALUE, not \"" + h + "\"");
        }
        out.add(Map.entry(h.substring(0, colon).trim(), h.substring(colon + 1).trim()));
      }
      return out;
    }

    /**
     * The handshake headers of the repeatable option {@code name} plus, when {@code --token} is
     * given (or else the environment variable {@code JUGGLER_TOKEN} is set), {@code Authorization:
     * Bearer TOKEN}.
     */
    public List<Map.Entry<String, String>> headersWithToken(String name, String environmentToken)
        throws UsageException {
      List<Map.Entry<String, String>> out = headers(name);
      String token = string("token", environmentToken == null ? "" : environmentToken).trim();
      if (!token.isEmpty()) {
        if (out.stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Authorization"))) {
          throw new UsageException("give --token or an Authorization --" + name + ", not both");
        }
        out.add(Map.entry("Authorization", "Bearer " + token));
      }
      return out;
    }
  }

  /** The help line of {@code --token}, shared by the tools. */
  public static final String TOKEN_HELP =
      "bearer token (a signed JWT) for servers that authenticate; default $JUGGLER_TOKEN";
}
