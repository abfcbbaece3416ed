package io.juggler.auth;

import io.juggler.message.Globs;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which URIs (CALL), channels (PUB, SUB) and patterns (SUB) each {@link Identity} may use, from
 * {@code juggler.auth.rules}: rules separated by {@code ;}, each {@code ACTIONS TARGET WHO}.
 *
 * <ul>
 *   <li>{@code ACTIONS}: {@code CALL}, {@code PUB}, {@code SUB} or several separated by commas, or
 *       {@code *} for all three.
 *   <li>{@code TARGET}: a URI or channel, where {@code *} stands for any run of characters (dots
 *       included) and {@code {name}} for the principal's own name (such a rule never applies to an
 *       anonymous client, nor to a name holding a wildcard character or the character next to
 *       {@code {name}} in the target, its separator; {@code {name}} may not touch a {@code *}).
 *   <li>{@code WHO}: {@code anyone}, {@code authenticated}, {@code anonymous}, {@code nobody}, or
 *       {@code role:R} ({@code role:R1|R2}: any of them).
 * </ul>
 *
 * The first rule whose actions and target match decides; when rules exist and none matches, the
 * request is refused. Without rules everything is allowed (the reference's behaviour).
 *
 * <p><b>Patterns.</b> A pattern SUB is allowed only when every channel it can match is allowed,
 * decided conservatively from its literal prefix (the characters before its first {@code *}, {@code
 * ?}, {@code [} or {@code \}): going through the rules in order, a rule whose target cannot match
 * any channel of the pattern is skipped; one that matches every channel of it ({@code prefix*} with
 * {@code prefix} a prefix of the pattern's) decides; one that matches only some of them refuses the
 * pattern if it refuses the client, and is passed over if it allows it. So {@code *} is refused
 * unless a rule {@code SUB * ...} allows it. Thread-safe; immutable.
 */
public final class AccessRules {

  /** What a client asks to do. */
  public enum Action {
    CALL,
    PUB,
    SUB
  }

  /** The outcome of a check. */
  public enum Decision {
    ALLOW,
    DENY
  }

  /** No rules: everything is allowed. */
  public static final AccessRules NONE = new AccessRules(List.of());

  private record Rule(Set<Action> actions, String target, Set<String> roles, Who who, String text) {

    boolean allows(Identity id) {
      return switch (who) {
        case ANYONE -> true;
        case AUTHENTICATED -> id.isAuthenticated();
        case ANONYMOUS -> !id.isAuthenticated();
        case NOBODY -> false;
        case ROLE -> roles.stream().anyMatch(id::hasRole);
      };
    }

    /**
     * The target for {@code id}, or null when it names the principal and there is none, or the name
     * holds a wildcard character (which would widen the rule to other principals) or a character
     * that stands next to {@code {name}} in the target (its separator: with {@code user.{name}.*},
     * user {@code john} would otherwise reach {@code user.john.smith.*}, the channels of user
     * {@code john.smith}).
     */
    String targetFor(Identity id) {
      if (!target.contains(NAME)) {
        return target;
      }
      String name = id.name();
      boolean literal = literalPrefix(name).length() == name.length();
      if (!id.isAuthenticated() || !literal || name.isEmpty()) {
        return null;
      }
      for (char separator : separators(target)) {
        if (name.indexOf(separator) >= 0) {
          return null;
        }
      }
      return target.replace(NAME, name);
    }
  }

  /** What a rule's target says in place of the principal's name. */
  private static final String NAME = "{name}";

  /** The characters right before and after each {@code {name}} of {@code target}. */
  private static List<Character> separators(String target) {
    List<Character> out = new ArrayList<>();
    for (int at = target.indexOf(NAME); at >= 0; at = target.indexOf(NAME, at + 1)) {
      if (at > 0) {
        out.add(target.charAt(at - 1));
      }
      int after = at + NAME.length();
      if (after < target.length()) {
        out.add(target.charAt(after));
      }
    }
    return out;
  }

  private enum Who {
    ANYONE,
    AUTHENTICATED,
    ANONYMOUS,
    NOBODY,
    ROLE
  }

  private final List<Rule> rules;

  private AccessRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** Every role a rule names. */
  public Set<String> roleNames() {
    Set<String> out = new TreeSet<>();
    rules.forEach(r -> out.addAll(r.roles()));
    return out;
  }

  /** The rules that let an anonymous client do something, as written. */
  public List<String> anonymousGrants() {
    return rules.stream()
        .filter(r -> r.who() == Who.ANYONE || r.who() == Who.ANONYMOUS)
        .map(Rule::text)
        .toList();
  }

  @Override
  public String toString() {
    return rules.stream().map(Rule::text).collect(Collectors.joining("; "));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccessRules other && other.rules.equals(rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }

  /**
   * Parses {@code text} (see the class documentation).
   *
   * @throws IllegalArgumentException naming the rule that is not of that form
   */
  public static AccessRules parse(String text) {
    List<Rule> out = new ArrayList<>();
    for (String raw : text.split(";")) {
      String rule = raw.trim();
      if (rule.isEmpty()) {
        continue;
      }
      String[] parts = rule.split("\\s+");
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            "rule '" + rule + "' is not ACTIONS TARGET WHO (e.g. 'CALL billing.* role:billing')");
      }
      if (separators(parts[1]).contains('*')) {
        throw new IllegalArgumentException(
            "rule '"
                + rule
                + "': {name} must be set off from a wildcard by a separator (e.g. user.{name}.*),"
                + " or one user's target would hold other users' names");
      }
      out.add(
          new Rule(
              actions(parts[0], rule),
              parts[1],
              roles(parts[2]),
              who(parts[2], rule),
              String.join(" ", parts)));
    }
    return new AccessRules(out);
  }

  private static Set<Action> actions(String s, String rule) {
    if (s.equals("*")) {
      return EnumSet.allOf(Action.class);
    }
    Set<Action> out = EnumSet.noneOf(Action.class);
    for (String a : s.split(",")) {
      try {
        out.add(Action.valueOf(a.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "rule '" + rule + "': unknown action '" + a + "' (expected CALL, PUB, SUB or *)");
      }
    }
    return out;
  }

  private static Who who(String s, String rule) {
    String w = s.toLowerCase(Locale.ROOT);
    if (w.startsWith("role:") && w.length() > 5) {
      return Who.ROLE;
    }
    return switch (w) {
      case "anyone" -> Who.ANYONE;
      case "authenticated" -> Who.AUTHENTICATED;
      case "anonymous" -> Who.ANONYMOUS;
      case "nobody" -> Who.NOBODY;
      default ->
          throw new IllegalArgumentException(
              "rule '"
                  + rule
                  + "': unknown WHO '"
                  + s
                  + "' (expected anyone, authenticated, anonymous, nobody or role:NAME)");
    };
  }

  private static Set<String> roles(String s) {
    return s.regionMatches(true, 0, "role:", 0, 5) ? Set.of(s.substring(5).split("\\|")) : Set.of();
  }

  /** May {@code id} do {@code action} on the URI or channel {@code name}? */
  public Decision check(Action action, String name, Identity id) {
    if (rules.isEmpty()) {
      return Decision.ALLOW;
    }
    for (Rule r : rules) {
      if (!r.actions().contains(action)) {
        continue;
      }
      String target = r.targetFor(id);
      if (target != null && Glob.matches(target, name)) {
        return r.allows(id) ? Decision.ALLOW : Decision.DENY;
      }
    }
    return Decision.DENY;
  }

  /** May {@code id} subscribe to the Redis pattern {@code pattern} (see the class doc)? */
  public Decision checkPattern(String pattern, Identity id) {
    if (rules.isEmpty()) {
      return Decision.ALLOW;
    }
    String prefix = literalPrefix(pattern);
    if (prefix.length() == pattern.length()) {
      return check(Action.SUB, pattern, id); // no wildcard: one channel
    }
    for (Rule r : rules) {
      if (!r.actions().contains(Action.SUB)) {
        continue;
      }
      String target = r.targetFor(id);
      if (target == null) {
        continue;
      }
      String targetPrefix = literalPrefix(target);
      boolean mayMeet = targetPrefix.startsWith(prefix) || prefix.startsWith(targetPrefix);
      if (!mayMeet) {
        continue;
      }
      boolean covers = target.equals(targetPrefix + "*") && prefix.startsWith(targetPrefix);
      if (covers) {
        return r.allows(id) ? Decision.ALLOW : Decision.DENY;
      }
      if (!r.allows(id)) {
        return Decision.DENY; // some channel of the pattern is refused
      }
    }
    return Decision.DENY;
  }

  /** The characters of a Redis glob before its first wildcard or escape. */
  static String literalPrefix(String glob) {
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '\\') {
        return glob.substring(0, i);
      }
    }
    return glob;
  }

  /** Matching of rule targets: {@code *} is any run of characters, nothing else is special. */
  static final class Glob {
    private Glob() {}

    static boolean matches(String glob, String s) {
      return Globs.matchesStars(glob, s);
    }
  }
}
