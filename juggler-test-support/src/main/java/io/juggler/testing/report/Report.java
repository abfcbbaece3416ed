package io.juggler.testing.report;

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
import java.util.TreeMap;

/**
 * The results of a run of the benchmark or the fault suite, by scenario: collects the machine, the
 * parameters, one row (a map) per measurement and notes under a scenario, and writes them as {@code
 * NAME.json} (everything) and {@code NAME.md} (a title, the machine and parameters as a list, then
 * one table per scenario of its scalar columns, lists and maps only in the JSON, and the scenario's
 * notes under it). Each row and note is also printed as it comes, after {@code [TOOL]}.
 */
public final class Report {

  private final String tool;
  private final String title;
  private final Map<String, Object> machine;
  private final Map<String, Object> parameters = new LinkedHashMap<>();
  private final Map<String, List<Map<String, Object>>> scenarios = new LinkedHashMap<>();
  private final Map<String, List<String>> notes = new LinkedHashMap<>();
  private List<String> columns;
  private boolean inNameOrder;

  /**
   * @param tool what the console lines start with, e.g. {@code bench}
   * @param title the Markdown title
   * @param machine what the run ran on ({@code io.juggler.launcher.Machine.describe})
   */
  public Report(String tool, String title, Map<String, Object> machine) {
    this.tool = tool;
    this.title = title;
    this.machine = machine;
  }

  /**
   * The columns of the Markdown tables, in this order, for the scenarios whose first row has them
   * all (by default, and otherwise: every scalar column, in the order they come).
   */
  public void columns(List<String> names) {
    this.columns = List.copyOf(names);
  }

  /** Writes the scenarios in the order of their names (numbers), not the order they ran in. */
  public void inNameOrder() {
    this.inNameOrder = true;
  }

  public void parameter(String name, Object value) {
    parameters.put(name, value);
  }

  /** A row of {@code scenario}'s table. */
  public void add(String scenario, Map<String, Object> row) {
    scenarios.computeIfAbsent(scenario, s -> new ArrayList<>()).add(row);
    System.out.println("[" + tool + "] " + scenario + " " + row);
  }

  /** A line of text under the table of {@code scenario}. */
  public void note(String scenario, String text) {
    notes.computeIfAbsent(scenario, s -> new ArrayList<>()).add(text);
    System.out.println("[" + tool + "] " + scenario + ": " + text);
  }

  /** Writes {@code dir/name.json} and {@code dir/name.md}. */
  public void write(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    JsonObjectBuilder root = Json.createObjectBuilder();
    root.add("machine", object(machine));
    root.add("parameters", object(parameters));
    JsonObjectBuilder s = Json.createObjectBuilder();
    ordered()
        .forEach(
            (k, rows) -> {
              JsonArrayBuilder a = Json.createArrayBuilder();
              rows.forEach(r -> a.add(object(r)));
              s.add(k, a);
            });
    root.add("scenarios", s);
    if (!notes.isEmpty()) {
      JsonObjectBuilder n = Json.createObjectBuilder();
      notes.forEach((k, lines) -> n.add(k, value(lines)));
      root.add("notes", n);
    }
    StringWriter w = new StringWriter();
    try (var g =
        Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(w)) {
      g.write(root.build());
    }
    Files.writeString(dir.resolve(name + ".json"), w.toString().trim() + "\n");
    Files.writeString(dir.resolve(name + ".md"), markdown());
  }

  private Map<String, List<Map<String, Object>>> ordered() {
    return inNameOrder ? new TreeMap<>(scenarios) : scenarios;
  }

  private String markdown() {
    StringBuilder md = new StringBuilder("# " + title + "\n\n");
    machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    parameters.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    ordered()
        .forEach(
            (name, rows) -> {
              md.append("\n## ").append(name).append("\n\n");
              List<String> columns = columnsOf(rows);
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

  private List<String> columnsOf(List<Map<String, Object>> rows) {
    if (this.columns != null && rows.get(0).keySet().containsAll(this.columns)) {
      return this.columns;
    }
    List<String> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      r.forEach(
          (c, v) -> {
            if (!out.contains(c) && !(v instanceof Map || v instanceof List)) {
              out.add(c);
            }
          });
    }
    return out;
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
