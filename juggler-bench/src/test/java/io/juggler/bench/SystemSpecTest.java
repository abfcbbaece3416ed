package io.juggler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SystemSpecTest {

  @Test
  void aSystemMayCarryAJdk() {
    List<SystemSpec> s =
        SystemSpec.list("go,payara-micro,open-liberty,payara-micro@25,open-liberty@25+coh");
    assertEquals(
        List.of("go", "payara-micro", "open-liberty", "payara-micro@25", "open-liberty@25+coh"),
        s.stream().map(SystemSpec::label).toList());
    assertTrue(s.get(0).isGo());
    assertEquals("", s.get(1).jdk());
    assertEquals("payara-micro", s.get(3).base());
    assertEquals("25", s.get(3).jdk());
    assertEquals("open-liberty", s.get(4).base());
    assertEquals("25+coh", s.get(4).jdk());
  }

  @Test
  void unknownSystemsAndJdksOnGoAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> SystemSpec.parse("payara-server"));
    assertThrows(IllegalArgumentException.class, () -> SystemSpec.parse("go@25"));
    assertThrows(IllegalArgumentException.class, () -> SystemSpec.parse("payara-micro@"));
    assertThrows(IllegalArgumentException.class, () -> SystemSpec.list("go,go"));
  }

  @Test
  void eachVariantHasItsOwnColumnPrefix() {
    assertEquals("go", SideBySide.prefix("go"));
    assertEquals("ee", SideBySide.prefix("payara-micro"));
    assertEquals("liberty", SideBySide.prefix("open-liberty"));
    assertEquals("ee25", SideBySide.prefix("payara-micro@25"));
    assertEquals("liberty25coh", SideBySide.prefix("open-liberty@25+coh"));
    assertEquals("eejdk21", SideBySide.prefix("payara-micro@/opt/jdk-21"));
    assertEquals("eejdk21coh", SideBySide.prefix("payara-micro@/opt/jdk-21/+coh"));
  }
}
