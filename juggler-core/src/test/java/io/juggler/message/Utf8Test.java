package io.juggler.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Utf8Test {

  @Test
  void readLimitCountsUtf8Bytes() {
    assertFalse(Utf8.lengthExceeds("x".repeat(10), 10));
    assertTrue(Utf8.lengthExceeds("x".repeat(11), 10));
    assertFalse(Utf8.lengthExceeds("é".repeat(5), 10)); // 2 bytes each
    assertTrue(Utf8.lengthExceeds("é".repeat(6), 10));
    assertFalse(Utf8.lengthExceeds("€€€", 9)); // 3 bytes each
    assertTrue(Utf8.lengthExceeds("€€€xx", 10));
    assertFalse(Utf8.lengthExceeds("\uD83D\uDE00\uD83D\uDE00", 8)); // 4 bytes each
    assertTrue(Utf8.lengthExceeds("\uD83D\uDE00\uD83D\uDE00x", 8));
  }

  @Test
  void aPrefixFitsItsBytesAndNeverSplitsAPair() {
    assertEquals("abc", Utf8.prefix("abc", 123));
    assertEquals("ab", Utf8.prefix("abc", 2));
    assertEquals("中", Utf8.prefix("中中", 5)); // 3 bytes each
    assertEquals("a", Utf8.prefix("a\uD83D\uDE00", 4)); // the pair takes 4
    assertEquals("a\uD83D\uDE00", Utf8.prefix("a\uD83D\uDE00b", 5));
    String reason = "meta.uuid is not a UUID: " + "中".repeat(48);
    assertFalse(Utf8.lengthExceeds(Utf8.prefix(reason, 123), 123));
    assertTrue(Utf8.prefix(reason, 123).length() > 40);
  }

  @Test
  void loneSurrogatesAreFoundAndPairsAreNot() {
    assertEquals(-1, Utf8.loneSurrogate("public.news"));
    assertEquals(-1, Utf8.loneSurrogate("emoji.\uD83D\uDE00"));
    assertEquals(7, Utf8.loneSurrogate("public.\udc00"));
    assertEquals(7, Utf8.loneSurrogate("public.\ud83d"));
    assertEquals(0, Utf8.loneSurrogate("\udc00\ud83d"));
    assertEquals(1, Utf8.loneSurrogate("a\ud83dx\ude00"));
  }
}
