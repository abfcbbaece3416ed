package io.juggler.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

  static final TrustedProxies PROXIES =
      TrustedProxies.parse(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

  @Test
  void withoutTrustedProxiesThePeerIsTheClientWhateverTheHeaderSays() {
    assertEquals("203.0.113.9", TrustedProxies.NONE.clientAddress("203.0.113.9", "1.2.3.4"));
    assertEquals("203.0.113.9", PROXIES.clientAddress("203.0.113.9", "1.2.3.4"));
  }

  @Test
  void aTrustedProxysHeaderIsReadFromTheRightPastOtherTrustedProxies() {
    assertEquals("198.51.100.4", PROXIES.clientAddress("10.1.2.3", "198.51.100.4"));
    // the client forged the first entry; the proxies appended the rest
    assertEquals(
        "198.51.100.4", PROXIES.clientAddress("10.1.2.3", "6.6.6.6, 198.51.100.4, 192.168.1.7"));
    assertEquals(
        "10.9.9.9", PROXIES.clientAddress("10.1.2.3", "10.9.9.9"), "all trusted: the leftmost");
    assertEquals("10.1.2.3", PROXIES.clientAddress("10.1.2.3", null));
    assertEquals("10.1.2.3", PROXIES.clientAddress("10.1.2.3", " "));
  }

  @Test
  void rangesMatchByPrefix() {
    assertTrue(PROXIES.trusts("10.255.0.1"));
    assertFalse(PROXIES.trusts("11.0.0.1"));
    assertTrue(PROXIES.trusts("192.168.1.7"));
    assertFalse(PROXIES.trusts("192.168.1.8"));
    assertTrue(PROXIES.trusts("fd12::1"));
    assertFalse(PROXIES.trusts("fe80::1"));
    assertTrue(TrustedProxies.parse(List.of("172.16.0.0/12")).trusts("172.31.255.255"));
    assertFalse(TrustedProxies.parse(List.of("172.16.0.0/12")).trusts("172.32.0.0"));
  }

  @Test
  void namesAndNonsenseAreNeverResolvedNorTrusted() {
    assertNull(TrustedProxies.literal("localhost"));
    assertNull(TrustedProxies.literal("999.1.1.1"));
    assertNull(TrustedProxies.literal("1.2.3.4:80"));
    assertNull(TrustedProxies.literal("example.com"));
    assertFalse(PROXIES.trusts("unknown"));
    assertEquals("evil?name", PROXIES.clientAddress("10.0.0.1", "evil\nname"));
  }

  @Test
  void badEntriesAreRefusedNamingThem() {
    for (String bad : List.of("proxy.example.com", "10.0.0.0/33", "10.0.0.0/x", "1.2.3")) {
      String m =
          assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of(bad)))
              .getMessage();
      assertTrue(m.contains(bad), m);
    }
  }
}
