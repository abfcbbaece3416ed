package io.juggler.client.commandline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  private final CommandLine cli =
      new CommandLine("tool [OPTIONS]", "A tool.")
          .option("count", "N", "how many")
          .option("wait", "DURATION", "how long")
          .repeatable("header", "NAME:VALUE", "a header")
          .flag("json", "as JSON");

  @Test
  void acceptsSpaceEqualsAndSingleDashForms() throws UsageException {
    CommandLine.Parsed p = cli.parse("--count", "3", "-wait=2s", "--json");
    assertEquals(3, p.integer("count", 1, 1));
    assertEquals(Duration.ofSeconds(2), p.duration("wait", Duration.ZERO, Duration.ZERO));
    assertTrue(p.flag("json"));
    assertFalse(p.help());
  }

  @Test
  void defaultsApplyWhenAbsent() throws UsageException {
    CommandLine.Parsed p = cli.parse();
    assertEquals(7, p.integer("count", 7, 1));
    assertFalse(p.flag("json"));
    assertEquals("x", p.string("nothing", "x"));
  }

  @Test
  void helpWinsOverEverythingElse() throws UsageException {
    assertTrue(cli.parse("--count", "x", "-h").help());
    assertTrue(cli.parse("--help").help());
    assertTrue(cli.parse("-help").help());
  }

  @Test
  void repeatableOptionsAndHeaders() throws UsageException {
    CommandLine.Parsed p = cli.parse("--header", "A: 1", "--header=B:two:parts");
    assertEquals(List.of(Map.entry("A", "1"), Map.entry("B", "two:parts")), p.headers("header"));
  }

  @Test
  void errorsNameTheOption() {
    assertMessage("unknown option --nope", "--nope");
    assertMessage("--count needs a value (N)", "--count");
    assertMessage("--count given twice", "--count", "1", "--count", "2");
    assertMessage("unexpected argument \"stray\"", "stray");
    assertMessage("--json takes no value", "--json=yes");
  }

  @Test
  void typedAccessorsValidate() throws UsageException {
    CommandLine.Parsed p = cli.parse("--count", "0", "--wait", "10");
    UsageException e = assertThrows(UsageException.class, () -> p.integer("count", 1, 1));
    assertEquals("--count must be at least 1, not 0", e.getMessage());
    e = assertThrows(UsageException.class, () -> p.duration("wait", null, Duration.ZERO));
    assertTrue(e.getMessage().startsWith("--wait: missing unit"), e.getMessage());
    CommandLine.Parsed h = cli.parse("--header", "novalue");
    assertThrows(UsageException.class, () -> h.headers("header"));
  }

  @Test
  void usageListsEveryOption() {
    String usage = cli.usage();
    assertTrue(usage.startsWith("Usage: tool [OPTIONS]"), usage);
    for (String s :
        List.of("--count N", "--wait DURATION", "--header NAME:VALUE", "--json", "-h")) {
      assertTrue(usage.contains(s), s);
    }
  }

  private void assertMessage(String message, String... args) {
    UsageException e = assertThrows(UsageException.class, () -> cli.parse(args));
    assertEquals(message, e.getMessage());
  }
}
