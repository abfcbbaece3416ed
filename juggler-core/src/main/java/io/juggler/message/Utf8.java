package io.juggler.message;

/** Sizes of text in UTF-8 (what limits in bytes count), without encoding it. */
public final class Utf8 {

  private Utf8() {}

  /** Whether {@code text} takes more than {@code limit} bytes in UTF-8, counting no further. */
  public static boolean lengthExceeds(String text, long limit) {
    if (text.length() > limit) {
      return true; // every char takes at least one byte
    }
    if ((long) text.length() * 3 <= limit) {
      return false; // at most three bytes per char (a surrogate pair is four bytes for two)
    }
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      bytes += bytes(text.charAt(i));
      if (bytes > limit) {
        return true;
      }
    }
    return false;
  }

  /**
   * The longest start of {@code text} that takes at most {@code maxBytes} bytes in UTF-8, never
   * ending between the two halves of a surrogate pair (e.g. for a websocket close reason, which may
   * hold 123 bytes).
   */
  public static String prefix(String text, int maxBytes) {
    if (!lengthExceeds(text, maxBytes)) {
      return text;
    }
    int bytes = 0;
    int end = 0;
    while (end < text.length()) {
      char c = text.charAt(end);
      boolean pair =
          Character.isHighSurrogate(c)
              && end + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(end + 1));
      int size = pair ? 4 : bytes(c);
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      end += pair ? 2 : 1;
    }
    return text.substring(0, end);
  }

  /**
   * The index of the first surrogate in {@code text} that is not half of a pair, or -1. Such a
   * string has no UTF-8 form: Java's encoder writes {@code ?} in its place, so it would reach Redis
   * as another name than the one the client sent.
   */
  public static int loneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // a pair
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** Bytes of one char in UTF-8 (each half of a surrogate pair counts two). */
  private static int bytes(char c) {
    return c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
  }
}
