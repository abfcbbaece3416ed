package io.juggler.message;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** UUID parsing and generation in the forms the protocol uses (spec section 3.1). */
public final class Uuids {

  private static final String URN_PREFIX = "urn:uuid:";

  private Uuids() {}

  /** A fresh random (version 4) UUID in lowercase dashed form. */
  public static String random() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /**
   * Normalises a UUID given as 36 dashed hex digits (any case) or with a {@code urn:uuid:} prefix
   * to the lowercase dashed form, or returns {@code null} if {@code text} is not such a UUID.
   */
  public static String normalize(String text) {
    String s = text;
    if (s.length() == 45 && s.regionMatches(true, 0, URN_PREFIX, 0, URN_PREFIX.length())) {
      s = s.substring(URN_PREFIX.length());
    }
    if (s.length() != 36) {
      return null;
    }
    char[] out = new char[36];
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return null;
        }
        out[i] = c;
      } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
        out[i] = c;
      } else if (c >= 'A' && c <= 'F') {
        out[i] = (char) (c + ('a' - 'A'));
      } else {
        return null;
      }
    }
    return new String(out);
  }
}
