package io.juggler.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
