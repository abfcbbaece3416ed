package io.juggler.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UuidsTest {

  private static final Pattern LOWER_DASHED =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static final int SAMPLES = 10_000;

  @Test
  void randomIsLowercaseDashedVersion4WithRfc4122Variant() {
    for (int i = 0; i < 1_000; i++) {
      String s = Uuids.random();
      assertTrue(LOWER_DASHED.matcher(s).matches(), s);
      UUID u = UUID.fromString(s);
      assertEquals(4, u.version(), s);
      assertEquals(2, u.variant(), s);
      assertEquals(s, u.toString());
      assertEquals('4', s.charAt(14), s);
      assertTrue("89ab".indexOf(s.charAt(19)) >= 0, s);
    }
  }

  @Test
  void randomIsUniqueOverTenThousand() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < SAMPLES; i++) {
      assertTrue(seen.add(Uuids.random()), "duplicate uuid");
    }
    assertEquals(SAMPLES, seen.size());
  }

  @Test
  void randomVariesEveryBitExceptVersionAndVariant() {
    long orMsb = 0;
    long andMsb = -1;
    long orLsb = 0;
    long andLsb = -1;
    for (int i = 0; i < SAMPLES; i++) {
      UUID u = UUID.fromString(Uuids.random());
      orMsb |= u.getMostSignificantBits();
      andMsb &= u.getMostSignificantBits();
      orLsb |= u.getLeastSignificantBits();
      andLsb &= u.getLeastSignificantBits();
    }
    // 122 random bits: each must have been seen both set and clear.
    assertEquals(0xFFFFFFFFFFFF4FFFL, orMsb, Long.toHexString(orMsb));
    assertEquals(0x0000000000004000L, andMsb, Long.toHexString(andMsb));
    assertEquals(0xBFFFFFFFFFFFFFFFL, orLsb, Long.toHexString(orLsb));
    assertEquals(0x8000000000000000L, andLsb, Long.toHexString(andLsb));
  }

  /**
   * Third hardening round, item 10: uuids made from {@code ThreadLocalRandom} give its state away.
   * The attack below predicts the next such uuid from one it saw (shown to work on that generator),
   * and predicts none of the server's.
   */
  @Test
  void theNextUuidCannotBePredictedFromTheLastOne() {
    int predicted = 0;
    for (int i = 0; i < 100; i++) {
      String seen = threadLocalRandomUuid();
      if (NextUuid.predict(seen).contains(threadLocalRandomUuid())) {
        predicted++;
      }
    }
    assertEquals(100, predicted, "the attack works on ThreadLocalRandom's uuids");
    for (int i = 0; i < 1_000; i++) {
      String seen = Uuids.random();
      String next = Uuids.random();
      assertFalse(NextUuid.predict(seen).contains(next), "predicted " + next + " from " + seen);
    }
  }

  /** Uuids as this class made them before: two longs of {@code ThreadLocalRandom}. */
  private static String threadLocalRandomUuid() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /**
   * The attack on {@code ThreadLocalRandom} (JDK 17: {@code seed += GAMMA + 2 * threadId}, output
   * {@code mix64(seed)}, a bijection): a uuid's two longs lost 4 and 2 bits to version and variant,
   * so 64 candidate pairs of outputs, each inverted to two seeds; a pair whose step is the golden
   * gamma plus an even thread number gives the next two outputs.
   */
  private static final class NextUuid {
    static final long GAMMA = 0x9e3779b97f4a7c15L;

    static Set<String> predict(String uuid) {
      UUID u = UUID.fromString(uuid);
      Set<String> out = new HashSet<>();
      for (long version = 0; version < 16; version++) {
        long first = (u.getMostSignificantBits() & ~0xF000L) | (version << 12);
        for (long variant = 0; variant < 4; variant++) {
          long second = (u.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | (variant << 62);
          long seed = unmix64(second);
          long step = seed - unmix64(first);
          long thread = step - GAMMA;
          if ((thread & 1) != 0 || thread < 0 || thread > (1L << 32)) {
            continue;
          }
          long msb = (mix64(seed + step) & ~0xF000L) | 0x4000L;
          long lsb = (mix64(seed + 2 * step) & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
          out.add(new UUID(msb, lsb).toString());
        }
      }
      return out;
    }

    static long mix64(long z) {
      z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
      z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
      return z ^ (z >>> 33);
    }

    static long unmix64(long z) {
      z = unshift33(z);
      z *= inverse(0xc4ceb9fe1a85ec53L);
      z = unshift33(z);
      z *= inverse(0xff51afd7ed558ccdL);
      return unshift33(z);
    }

    /** The inverse of {@code z ^ (z >>> 33)}. */
    static long unshift33(long z) {
      return z ^ (z >>> 33);
    }

    /** The multiplicative inverse of an odd {@code a} modulo 2^64 (Newton's iteration). */
    static long inverse(long a) {
      long x = a;
      for (int i = 0; i < 6; i++) {
        x *= 2 - a * x;
      }
      return x;
    }
  }

  @Test
  void randomIsNormalisedAlready() {
    String s = Uuids.random();
    assertEquals(s, Uuids.normalize(s));
  }

  @ParameterizedTest
  @CsvSource({
    "3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e, 3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e",
    "3F9D2C4A-6B1E-4F8A-9C7D-0E5B1A2C3D4E, 3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e",
    "3f9D2c4A-6b1E-4F8a-9C7d-0E5b1A2c3D4e, 3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e",
    "urn:uuid:3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e, 3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e",
    "urn:uuid:3F9D2C4A-6B1E-4F8A-9C7D-0E5B1A2C3D4E, 3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e",
    "00000000-0000-0000-0000-000000000000, 00000000-0000-0000-0000-000000000000",
    "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF, ffffffff-ffff-ffff-ffff-ffffffffffff",
    "6ba7b810-9dad-11d1-80b4-00c04fd430c8, 6ba7b810-9dad-11d1-80b4-00c04fd430c8",
    "aaaaaaaa-0000-4000-8000-000000000001, aaaaaaaa-0000-4000-8000-000000000001"
  })
  void normalizeAcceptsDashedAndUrnFormsInAnyCase(String given, String expected) {
    assertEquals(expected, Uuids.normalize(given));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "not-a-uuid",
        "3f9d2c4a6b1e4f8a9c7d0e5b1a2c3d4e",
        "{3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e}",
        "3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4",
        "3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e0",
        "3f9d2c4a6-b1e-4f8a-9c7d-0e5b1a2c3d4e",
        "3f9d2c4a-6b1e-4f8a-9c7d_0e5b1a2c3d4e",
        "3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4g",
        "3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4 ",
        " 3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4",
        "3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4\u0435",
        "３f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e",
        "+f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e",
        "urn:uuid:",
        "urn:uuid:3f9d2c4a6b1e4f8a9c7d0e5b1a2c3d4e",
        "urn:uuid:{3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e}",
        "urn:uuid:3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4",
        "urn:uuid:urn:uuid:3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e",
        "uuid:3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e",
        "urn:uid:3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e"
      })
  void normalizeRejectsAnythingElse(String text) {
    assertNull(Uuids.normalize(text), text);
  }
}
