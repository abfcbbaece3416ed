package io.juggler.message;

/**
 * Redis glob patterns (PSUBSCRIBE, spec 6.6) as a client may send them in a pattern SUB: {@code *}
 * any run of characters, {@code ?} one character, {@code [...]} one of a set, {@code \} escapes the
 * next character. Stateless.
 */
public final class Globs {

  private Globs() {}

  /**
   * The {@code *} wildcards of {@code pattern} (a run such as {@code **} counts once, as Redis
   * matches it; one inside {@code [...]} or escaped is a literal). Only these make Redis's matching
   * backtrack: {@code ?} and a set match exactly one character. Redis matches every pattern
   * subscription against the channel of every PUBLISH; a pattern's {@code *} and the length of what
   * follows it are what that costs.
   */
  public static int wildcards(String pattern) {
    int count = 0;
    boolean inRun = false;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        if (!inRun) {
          count++;
        }
        inRun = true;
        continue;
      }
      inRun = false;
      if (c == '\\') {
        i++; // the next character is literal
      } else if (c == '[') {
        i = endOfSet(pattern, i);
      }
    }
    return count;
  }

  /**
   * Whether {@code s} matches {@code glob} in which only {@code *} is special (any run of
   * characters, the empty one included): the form of the patterns in settings (access rules,
   * history), which name channels and URIs an operator chose.
   */
  public static boolean matchesStars(String glob, String s) {
    String[] parts = glob.split("\\*", -1);
    if (parts.length == 1) {
      return glob.equals(s);
    }
    if (!s.startsWith(parts[0])) {
      return false;
    }
    int at = parts[0].length();
    for (int i = 1; i < parts.length - 1; i++) {
      int found = s.indexOf(parts[i], at);
      if (found < 0) {
        return false;
      }
      at = found + parts[i].length();
    }
    String last = parts[parts.length - 1];
    return s.length() - at >= last.length() && s.endsWith(last);
  }

  /** The index of the {@code ]} closing the set that opens at {@code open} (or the last index). */
  private static int endOfSet(String pattern, int open) {
    int i = open + 1;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == ']') {
        return i;
      } else {
        i++;
      }
    }
    return pattern.length() - 1;
  }
}
