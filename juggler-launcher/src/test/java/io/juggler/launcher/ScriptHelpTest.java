package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every script the README names answers {@code --help} at once: no Maven build, no Redis, no server
 * (bench.sh and faults.sh list their options when their tool is built, else their header).
 */
class ScriptHelpTest {

  @ParameterizedTest
  @ValueSource(strings = {"run.sh", "test.sh", "bench.sh", "faults.sh"})
  void helpAnswersAtOnce(String script) throws Exception {
    Path file = Repository.root().resolve(script);
    Process p =
        new ProcessBuilder("bash", file.toString(), "--help").redirectErrorStream(true).start();
    boolean ended = p.waitFor(15, TimeUnit.SECONDS);
    if (!ended) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(ended, script + " --help still running after 15 s (building?):\n" + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("./" + script), script + " --help does not name itself:\n" + out);
    assertFalse(out.contains("[INFO]") || out.contains("BUILD"), out);
    assertFalse(out.lines().anyMatch(l -> l.startsWith("#")), out);
  }
}
