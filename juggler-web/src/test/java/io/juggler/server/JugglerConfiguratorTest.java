package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The same-origin rule applied when {@code juggler.server.allowed-origins} is empty, and how the
 * token cookie is read.
 */
class JugglerConfiguratorTest {

  @Test
  void noOriginIsServed() {
    assertTrue(JugglerConfigurator.sameOrigin(null, "example.com"));
  }

  @Test
  void theOriginsHostMustBeTheHostHeader() {
    assertTrue(JugglerConfigurator.sameOrigin("https://example.com", "example.com"));
    assertTrue(JugglerConfigurator.sameOrigin("http://example.com:8080", "example.com:8080"));
    assertTrue(JugglerConfigurator.sameOrigin("http://EXAMPLE.com:8080", "example.COM:8080"));
    assertTrue(JugglerConfigurator.sameOrigin("https://example.com:443", "example.com"));
  }

  @Test
  void anotherHostOrPortIsRefused() {
    assertFalse(JugglerConfigurator.sameOrigin("https://evil.example", "example.com"));
    assertFalse(JugglerConfigurator.sameOrigin("http://example.com:9090", "example.com:8080"));
    assertFalse(JugglerConfigurator.sameOrigin("https://example.com.evil.example", "example.com"));
    assertFalse(JugglerConfigurator.sameOrigin("https://example.com", null));
  }

  @Test
  void anUnparsableOriginIsRefused() {
    assertFalse(JugglerConfigurator.sameOrigin("http://exa mple.com", "example.com"));
    assertFalse(JugglerConfigurator.sameOrigin("null", "example.com"));
  }

  @Test
  void theTokenCookieIsFoundAmongOthers() {
    assertEquals("t0k", JugglerConfigurator.cookie("a=1; Bearer=t0k; b=2", "Bearer"));
    assertEquals("t0k", JugglerConfigurator.cookie("Bearer=\"t0k\"", "Bearer"));
    assertEquals("x", JugglerConfigurator.cookie("XBearer=no;Bearer=x", "Bearer"));
    assertNull(JugglerConfigurator.cookie("a=1; b=2", "Bearer"));
    assertNull(JugglerConfigurator.cookie(null, "Bearer"));
  }
}
