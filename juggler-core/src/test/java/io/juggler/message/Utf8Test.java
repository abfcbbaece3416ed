package io.juggler.message;

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
}
