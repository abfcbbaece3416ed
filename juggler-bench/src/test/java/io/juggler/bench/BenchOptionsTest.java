package io.juggler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.client.commandline.CommandLine;
import io.juggler.client.commandline.UsageException;
import org.junit.jupiter.api.Test;

/** The command lines bench.sh, the README and docs/benchmarks show are the ones Bench takes. */
class BenchOptionsTest {

  @Test
  void theDocumentedCommandLinesParse() throws Exception {
    CommandLine.Parsed p = Bench.OPTIONS.parse("--duration", "5s", "--scenarios", "0,3");
    assertEquals("5s", p.string("duration", null));
    assertEquals("0,3", p.string("scenarios", null));
    assertFalse(p.has("reference"));

    p =
        Bench.OPTIONS.parse(
            "--reference",
            "../shared/reference/go-juggler",
            "--warmup",
            "45s",
            "--systems",
            "go,payara-micro@25,open-liberty@25+coh",
            "--server-jvm-options",
            "-Xmx2g -XX:+UseZGC");
    assertEquals("../shared/reference/go-juggler", p.string("reference", null));
    assertEquals("go,payara-micro@25,open-liberty@25+coh", p.string("systems", null));
    assertEquals("-Xmx2g -XX:+UseZGC", p.string("server-jvm-options", null));
    assertEquals("10000", p.string("idle", "10000"));
  }

  @Test
  void helpIsAskedForAndUnknownOptionsAreRefused() throws Exception {
    assertTrue(Bench.OPTIONS.parse("--help").help());
    assertTrue(Bench.OPTIONS.usage().contains("--publish-rates LIST"));
    UsageException e =
        assertThrows(UsageException.class, () -> Bench.OPTIONS.parse("--duraton", "5s"));
    assertEquals("unknown option --duraton", e.getMessage());
    assertThrows(UsageException.class, () -> Bench.OPTIONS.parse("--idle"));
  }
}
