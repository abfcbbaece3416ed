package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JugglerEndpointTest {

  @Test
  void readLimitCountsUtf8Bytes() {
    assertFalse(JugglerEndpoint.utf8LengthExceeds("x".repeat(10), 10));
    assertTrue(JugglerEndpoint.utf8LengthExceeds("x".repeat(11), 10));
    assertFalse(JugglerEndpoint.utf8LengthExceeds("é".repeat(5), 10)); // 2 bytes each
    assertTrue(JugglerEndpoint.utf8LengthExceeds("é".repeat(6), 10));
    assertFalse(JugglerEndpoint.utf8LengthExceeds("€€€", 9)); // 3 bytes each
    assertTrue(JugglerEndpoint.utf8LengthExceeds("€€€xx", 10));
    assertFalse(JugglerEndpoint.utf8LengthExceeds("\uD83D\uDE00\uD83D\uDE00", 8)); // 4 bytes each
    assertTrue(JugglerEndpoint.utf8LengthExceeds("\uD83D\uDE00\uD83D\uDE00x", 8));
  }
}
