package io.juggler.message;

/** Writes JSON string literals; the encoder's only hand-written JSON rule. */
final class JsonText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /**
   * Appends {@code s} as a quoted JSON string. Escapes quotes, backslashes, control characters,
   * {@code <>&} (as the reference does, so output is safe to embed in HTML) and unpaired surrogates
   * (which have no UTF-8 form).
   */
  static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '<', '>', '&' -> unicode(sb, c);
        default -> {
          if (c < 0x20) {
            unicode(sb, c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
              sb.append(c).append(s.charAt(++i));
            } else {
              unicode(sb, c);
            }
          } else if (Character.isLowSurrogate(c)) {
            unicode(sb, c);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /**
   * Replaces unpaired surrogates in serialised JSON by {@code \\uXXXX} escapes, so the text stays
   * valid once encoded as UTF-8. Returns {@code json} itself when there are none (the usual case).
   */
  static String escapeLoneSurrogates(String json) {
    int len = json.length();
    StringBuilder sb = null;
    for (int i = 0; i < len; i++) {
      char c = json.charAt(i);
      boolean lone;
      if (Character.isHighSurrogate(c)) {
        lone = i + 1 >= len || !Character.isLowSurrogate(json.charAt(i + 1));
        if (!lone) {
          if (sb != null) {
            sb.append(c).append(json.charAt(i + 1));
          }
          i++;
          continue;
        }
      } else {
        lone = Character.isLowSurrogate(c);
      }
      if (lone && sb == null) {
        sb = new StringBuilder(len + 12).append(json, 0, i);
      }
      if (sb != null) {
        if (lone) {
          unicode(sb, c);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? json : sb.toString();
  }

  private static void unicode(StringBuilder sb, char c) {
    sb.append("\\u")
        .append(HEX[(c >> 12) & 0xf])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }
}
