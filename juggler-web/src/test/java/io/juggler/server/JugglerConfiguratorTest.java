package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How the token cookie is read where a container upgrades without the handshake filter. */
class JugglerConfiguratorTest {

  @Test
  void theTokenCookieIsFoundAmongOthers() {
    assertEquals("t0k", JugglerConfigurator.cookie("a=1; Bearer=t0k; b=2", "Bearer"));
    assertEquals("t0k", JugglerConfigurator.cookie("Bearer=\"t0k\"", "Bearer"));
    assertEquals("x", JugglerConfigurator.cookie("XBearer=no;Bearer=x", "Bearer"));
    assertNull(JugglerConfigurator.cookie("a=1; b=2", "Bearer"));
    assertNull(JugglerConfigurator.cookie(null, "Bearer"));
  }
}
