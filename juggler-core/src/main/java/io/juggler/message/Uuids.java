package io.juggler.message;

import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUID parsing and generation in the forms the protocol uses (spec section 3.1).
 *
 * <p><b>Unpredictable.</b> Every id the server makes comes from here: message uuids, connection and
 * result-shard ids, instance ids. They come from a cryptographically strong generator (the JDK's
 * {@code DRBG}, one per thread, each seeded by the system), so that the uuids a client sees tell
 * nothing about the next ones or about the ids it does not see. (A {@link
 * java.util.concurrent.ThreadLocalRandom}, as before, gives its whole state away in two outputs.)
 * Each thread draws {@value #BATCH} bytes at a time, which makes a uuid cost about 40 ns instead of
 * 360; only JDK types are kept per thread, so nothing holds the application's class loader after an
 * undeploy.
 */
public final class Uuids {

  private static final String URN_PREFIX = "urn:uuid:";

  /** Random bytes drawn at once per thread (64 uuids). */
  static final int BATCH = 1024;

  private static final ThreadLocal<SecureRandom> GENERATOR =
      ThreadLocal.withInitial(Uuids::generator);
  private static final ThreadLocal<ByteBuffer> DRAWN =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(BATCH).position(BATCH));

  private Uuids() {}

  /** A fresh random (version 4) UUID in lowercase dashed form. */
  public static String random() {
    ByteBuffer drawn = DRAWN.get();
    if (drawn.remaining() < 16) {
      GENERATOR.get().nextBytes(drawn.array());
      drawn.clear();
    }
    long msb = (drawn.getLong() & ~0xF000L) | 0x4000L;
    long lsb = (drawn.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  private static SecureRandom generator() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom(); // a JDK without DRBG: its default strong generator
    }
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
