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
      char c = text.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
      if (bytes > limit) {
        return true;
      }
    }
    return false;
  }
}
