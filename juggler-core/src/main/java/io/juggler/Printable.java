package io.juggler;

/**
 * Text a client or another party chose (a user name, a user agent, a URI), made safe to write to a
 * log line or show: control characters (CR and LF among them, which would forge log lines) become
 * escapes such as <code>&#92;u000a</code>, and the text is cut to a length. Thread-safe; stateless.
 */
public final class Printable {

  /** The default length after which text is cut (with an ellipsis). */
  public static final int DEFAULT_MAX = 200;

  private Printable() {}

  /**
   * {@code text} with the user and password of every URL in it ({@code scheme://user:pass@host})
   * replaced by {@code ***}: for a configured location (a Redis URL, a key set's URL) written to a
   * log or sent anywhere.
   */
  public static String withoutCredentials(String text) {
    return text.replaceAll("//([^@/\\s,\\]]*)@", "//***@");
  }

  /** {@link #of(String, int)} with {@link #DEFAULT_MAX}. */
  public static String of(String text) {
    return of(text, DEFAULT_MAX);
  }

  /** {@code text} with control characters escaped and cut after {@code max} characters. */
  public static String of(String text, int max) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = null;
    int n = Math.min(text.length(), max);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
      if (control && sb == null) {
        sb = new StringBuilder(n + 16).append(text, 0, i);
      }
      if (sb != null) {
        if (control) {
          sb.append(String.format("\\u%04x", (int) c));
        } else {
          sb.append(c);
        }
      }
    }
    String out = sb == null ? text.substring(0, n) : sb.toString();
    return text.length() > max ? out + "…" : out;
  }
}
