package io.juggler.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.client.commandline.CommandLine;
import io.juggler.client.commandline.UsageException;
import org.junit.jupiter.api.Test;

/** The command lines faults.sh, .ci/run and docs/faults show are the ones Faults takes. */
class FaultsOptionsTest {

  @Test
  void theDocumentedCommandLinesParse() throws Exception {
    CommandLine.Parsed p = Faults.OPTIONS.parse("--short");
    assertTrue(p.flag("short"));
    assertFalse(p.has("soak"));

    p = Faults.OPTIONS.parse("--scenarios", "1,3", "--latency", "50");
    assertFalse(p.flag("short"));
    assertEquals("1,3", p.string("scenarios", null));
    assertEquals("50", p.string("latency", null));

    p = Faults.OPTIONS.parse("--soak", "10m", "--soak-warmup", "60s", "--soak-rate", "40");
    assertTrue(p.has("soak"));
    assertEquals("10m", p.string("soak", null));
    assertEquals("40", p.string("soak-rate", null));
  }

  @Test
  void aFlagTakesNoValueAndAnOptionNeedsOne() {
    assertThrows(UsageException.class, () -> Faults.OPTIONS.parse("--short", "1,3"));
    assertThrows(UsageException.class, () -> Faults.OPTIONS.parse("--scenarios"));
    assertThrows(UsageException.class, () -> Faults.OPTIONS.parse("--scenario", "1"));
  }
}
