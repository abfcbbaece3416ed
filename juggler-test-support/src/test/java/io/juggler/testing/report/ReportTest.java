package io.juggler.testing.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  @Test
  void theBenchmarksReportKeepsTheOrderTheScenariosRanIn(@TempDir Path dir) throws Exception {
    Report r = new Report("bench", "Juggler EE benchmark results", machine());
    r.parameter("durationPerStepSeconds", 10L);
    r.add("4-reference-rpc", row("system", "go", "callsPerSecond", 1234.5));
    r.add("0-ceiling", row("variant", "raw", "roundTripsPerSecond", 50_000L));
    r.add("0-ceiling", row("variant", "script", "producerConsumerPairs", 8));
    r.write(dir, "bench-x");

    String md = Files.readString(dir.resolve("bench-x.md"));
    assertEquals(
        """
        # Juggler EE benchmark results

        - cores: 2
        - redis: 7.0.15
        - durationPerStepSeconds: 10

        ## 4-reference-rpc

        | system | callsPerSecond |
        | --- | --- |
        | go | 1234.5 |

        ## 0-ceiling

        | variant | roundTripsPerSecond | producerConsumerPairs |
        | --- | --- | --- |
        | raw | 50000 |  |
        | script |  | 8 |
        """,
        md);
    JsonObject json = json(dir.resolve("bench-x.json"));
    assertEquals(List.of("machine", "parameters", "scenarios"), List.copyOf(json.keySet()));
    assertEquals(
        List.of("4-reference-rpc", "0-ceiling"),
        List.copyOf(json.getJsonObject("scenarios").keySet()));
    assertEquals(
        50_000L,
        json.getJsonObject("scenarios")
            .getJsonArray("0-ceiling")
            .getJsonObject(0)
            .getJsonNumber("roundTripsPerSecond")
            .longValue());
    assertEquals(2, json.getJsonObject("machine").getInt("cores"));
  }

  @Test
  void theFaultSuitesReportHasItsColumnsNotesAndNameOrder(@TempDir Path dir) throws Exception {
    Report r = new Report("faults", "Juggler EE fault suite", machine());
    r.columns(List.of("delivery", "lost"));
    r.inNameOrder();
    r.add("3 callee SIGKILL", row("delivery", "at most once", "lost", 0L, "extra", 1));
    r.add(
        "1 Redis SIGKILL 5 s",
        row("delivery", "at least once", "lost", 0L, "readiness", Map.of("server-1", "ready")));
    r.note("3 callee SIGKILL", "a note");
    r.add("2 other", row("a", 1, "samples", List.of("x", "y")));
    r.write(dir, "faults-x");

    String md = Files.readString(dir.resolve("faults-x.md"));
    assertTrue(
        md.indexOf("## 1 Redis") < md.indexOf("## 2 other")
            && md.indexOf("## 2 other") < md.indexOf("## 3 callee"),
        md);
    assertTrue(md.contains("| delivery | lost |\n| --- | --- |\n| at most once | 0 |\n"), md);
    assertTrue(md.contains("| at most once | 0 |\n\n- a note\n"), md);
    assertTrue(md.contains("## 2 other\n\n| a |\n| --- |\n| 1 |\n"), md);
    assertFalse(md.contains("readiness") || md.contains("samples"), md);

    JsonObject json = json(dir.resolve("faults-x.json"));
    JsonObject scenarios = json.getJsonObject("scenarios");
    assertEquals(
        List.of("1 Redis SIGKILL 5 s", "2 other", "3 callee SIGKILL"),
        List.copyOf(scenarios.keySet()));
    assertEquals(
        "ready",
        scenarios
            .getJsonArray("1 Redis SIGKILL 5 s")
            .getJsonObject(0)
            .getJsonObject("readiness")
            .getString("server-1"));
    assertEquals(
        "y",
        scenarios.getJsonArray("2 other").getJsonObject(0).getJsonArray("samples").getString(1));
    assertEquals(
        "a note", json.getJsonObject("notes").getJsonArray("3 callee SIGKILL").getString(0));
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", 2);
    m.put("redis", "7.0.15");
    return m;
  }

  private static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  private static JsonObject json(Path file) throws Exception {
    try (var reader = Json.createReader(new StringReader(Files.readString(file)))) {
      return reader.readObject();
    }
  }
}
