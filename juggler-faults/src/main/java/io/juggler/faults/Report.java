package io.juggler.faults;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects results by scenario and writes them as JSON and as Markdown tables (the scalar columns;
 * lists and objects only in the JSON), with notes under each table.
 */
final class Report {

  private final Map<String, Object> parameters = new LinkedHashMap<>();
  private final Map<String, Object> machine;
  private final Map<String, List<Map<String, Object>>> scenarios = new LinkedHashMap<>();
  private final Map<String, List<String>> notes = new LinkedHashMap<>();
  private final String title;
  private List<String> columns;

  Report(String title, Map<String, Object> machine) {
    this.title = title;
    this.machine = machine;
  }

  /** The columns of the Markdown tables (all scalar ones when not set). */
  void columns(List<String> names) {
    this.columns = List.copyOf(names);
  }

  /** A line of text under the table of {@code scenario}. */
  void note(String scenario, String text) {
    notes.computeIfAbsent(scenario, s -> new ArrayList<>()).add(text);
    System.out.println("[faults] " + scenario + ": " + text);
  }

  Map<String, List<Map<String, Object>>> scenarios() {
    return scenarios;
  }

  void parameter(String name, Object value) {
    parameters.put(name, value);
  }

  void add(String scenario, Map<String, Object> row) {
    scenarios.computeIfAbsent(scenario, s -> new ArrayList<>()).add(row);
    System.out.println("[faults] " + scenario + " " + row);
  }

  void write(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    JsonObjectBuilder root = Json.createObjectBuilder();
    root.add("machine", object(machine));
    root.add("parameters", object(parameters));
    JsonObjectBuilder s = Json.createObjectBuilder();
    new java.util.TreeMap<>(scenarios)
        .forEach(
            (k, rows) -> {
              JsonArrayBuilder a = Json.createArrayBuilder();
              rows.forEach(r -> a.add(object(r)));
              s.add(k, a);
            });
    root.add("scenarios", s);
    JsonObjectBuilder n = Json.createObjectBuilder();
    notes.forEach((k, lines) -> n.add(k, value(lines)));
    root.add("notes", n);
    StringWriter w = new StringWriter();
    try (var g =
        Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(w)) {
      g.write(root.build());
    }
    Files.writeString(dir.resolve(name + ".json"), w.toString().trim() + "\n");
    Files.writeString(dir.resolve(name + ".md"), markdown());
  }

  private String markdown() {
    StringBuilder md = new StringBuilder("# " + title + "\n\n");
    machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    parameters.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    // in the order of their names (scenario numbers), whatever order they ran in
    new java.util.TreeMap<>(scenarios)
        .forEach(
            (name, rows) -> {
              md.append("\n## ").append(name).append("\n\n");
              List<String> columns = new ArrayList<>();
              boolean fixed =
                  this.columns != null && rows.get(0).keySet().containsAll(this.columns);
              if (fixed) {
                columns.addAll(this.columns);
              }
              rows.forEach(
                  r ->
                      r.keySet()
                          .forEach(
                              c -> {
                                Object v = r.get(c);
                                if (!columns.contains(c)
                                    && !fixed
                                    && !(v instanceof Map || v instanceof List)) {
                                  columns.add(c);
                                }
                              }));
              md.append("| ").append(String.join(" | ", columns)).append(" |\n");
              md.append("|").append(" --- |".repeat(columns.size())).append('\n');
              for (Map<String, Object> r : rows) {
                md.append("|");
                for (String c : columns) {
                  md.append(' ').append(r.getOrDefault(c, "")).append(" |");
                }
                md.append('\n');
              }
              List<String> n = notes.getOrDefault(name, List.of());
              if (!n.isEmpty()) {
                md.append('\n');
                n.forEach(line -> md.append("- ").append(line).append('\n'));
              }
            });
    return md.toString();
  }

  private static JsonObjectBuilder object(Map<String, Object> m) {
    JsonObjectBuilder b = Json.createObjectBuilder();
    m.forEach((k, v) -> b.add(k, value(v)));
    return b;
  }

  private static JsonValue value(Object v) {
    if (v == null) {
      return JsonValue.NULL;
    } else if (v instanceof Integer i) {
      return Json.createValue(i);
    } else if (v instanceof Long l) {
      return Json.createValue(l);
    } else if (v instanceof Number n) {
      return Json.createValue(n.doubleValue());
    } else if (v instanceof Boolean b) {
      return b ? JsonValue.TRUE : JsonValue.FALSE;
    } else if (v instanceof Map<?, ?> m) {
      JsonObjectBuilder o = Json.createObjectBuilder();
      m.forEach((k, x) -> o.add(String.valueOf(k), value(x)));
      return o.build();
    } else if (v instanceof List<?> l) {
      JsonArrayBuilder a = Json.createArrayBuilder();
      l.forEach(x -> a.add(value(x)));
      return a.build();
    }
    return Json.createValue(v.toString());
  }
}
