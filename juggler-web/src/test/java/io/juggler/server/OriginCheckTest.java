package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The origin rule of the handshake: an allow-list, or the same scheme, host and port. */
class OriginCheckTest {

  private static final OriginCheck SAME_ORIGIN = new OriginCheck(List.of());

  @Test
  void noOriginIsServed() {
    assertTrue(SAME_ORIGIN.allows(null, "http", "example.com"));
  }

  @Test
  void theSameSchemeHostAndPortAreServed() {
    assertTrue(SAME_ORIGIN.allows("http://example.com", "http", "example.com"));
    assertTrue(SAME_ORIGIN.allows("https://example.com", "https", "example.com"));
    assertTrue(SAME_ORIGIN.allows("http://example.com:8080", "http", "example.com:8080"));
    assertTrue(SAME_ORIGIN.allows("http://EXAMPLE.com:8080", "http", "example.COM:8080"));
    assertTrue(SAME_ORIGIN.allows("https://example.com:443", "https", "example.com"));
    assertTrue(SAME_ORIGIN.allows("http://example.com", "http", "example.com:80"));
    assertTrue(SAME_ORIGIN.allows("http://[::1]:8080", "http", "[::1]:8080"));
    // where the container gives the websocket URI's scheme
    assertTrue(SAME_ORIGIN.allows("https://example.com", "wss", "example.com"));
  }

  /** Item 5 of the third hardening round: the port was not compared when Host had none. */
  @Test
  void anotherPortIsRefusedWhetherOrNotHostNamesOne() {
    assertFalse(SAME_ORIGIN.allows("http://127.0.0.1:9090", "http", "127.0.0.1:8080"));
    assertFalse(SAME_ORIGIN.allows("http://127.0.0.1:9090", "http", "127.0.0.1"));
    assertFalse(SAME_ORIGIN.allows("http://example.com:8080", "http", "example.com"));
    assertFalse(SAME_ORIGIN.allows("https://example.com", "http", "example.com:443"));
  }

  @Test
  void anotherSchemeIsRefused() {
    assertFalse(SAME_ORIGIN.allows("https://example.com", "http", "example.com"));
    assertFalse(SAME_ORIGIN.allows("http://example.com", "https", "example.com"));
    assertFalse(SAME_ORIGIN.allows("ftp://example.com", "http", "example.com"));
    assertFalse(SAME_ORIGIN.allows("file:///etc/passwd", "http", "example.com"));
  }

  @Test
  void anotherHostIsRefused() {
    assertFalse(SAME_ORIGIN.allows("https://evil.example", "https", "example.com"));
    assertFalse(SAME_ORIGIN.allows("https://example.com.evil.example", "https", "example.com"));
    assertFalse(SAME_ORIGIN.allows("https://evil.example", "https", "evil.example@example.com"));
    assertFalse(SAME_ORIGIN.allows("https://example.com", "https", null));
    assertFalse(SAME_ORIGIN.allows("https://example.com", "https", ""));
  }

  @Test
  void whatIsNotAnOriginIsRefused() {
    assertFalse(SAME_ORIGIN.allows("http://exa mple.com", "http", "example.com"));
    assertFalse(SAME_ORIGIN.allows("null", "http", "example.com"));
    assertFalse(SAME_ORIGIN.allows("http://user@example.com", "http", "example.com"));
    assertFalse(SAME_ORIGIN.allows("http://example.com/path", "http", "example.com"));
    assertFalse(SAME_ORIGIN.allows("", "http", "example.com"));
  }

  @Test
  void anAllowListIsExact() {
    OriginCheck listed = new OriginCheck(List.of("https://app.example", "http://localhost:3000"));
    assertTrue(listed.allows("https://app.example", "http", "api.example"));
    assertTrue(listed.allows("http://localhost:3000", "http", "localhost:8080"));
    assertFalse(listed.allows("https://app.example:443", "http", "api.example"));
    assertFalse(listed.allows("https://api.example", "https", "api.example"));
    assertFalse(listed.allows(null, "http", "api.example"));
  }
}
