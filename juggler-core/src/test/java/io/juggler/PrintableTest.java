package io.juggler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PrintableTest {

  @Test
  void aForgedLogLineStaysOnItsOwnLine() {
    assertEquals(
        "x\\u000a2026-11-30 INFO admin=admin logged in",
        Printable.of("x\n2026-11-30 INFO admin=admin logged in"));
    assertEquals("a\\u000d\\u001b[31mb\\u2028", Printable.of("a\r\u001b[31mb\u2028"));
  }

  @Test
  void plainTextIsKeptAndLongTextCut() {
    String plain = "alice@example.com (Ünïcödé 😀)";
    assertSame(plain, Printable.of(plain));
    assertEquals("abc…", Printable.of("abcdef", 3));
    assertEquals("", Printable.of(null));
  }

  @Property
  void noControlCharacterSurvives(@ForAll String s) {
    String out = Printable.of(s, 10_000);
    assertFalse(
        out.chars().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029), out);
  }
}
