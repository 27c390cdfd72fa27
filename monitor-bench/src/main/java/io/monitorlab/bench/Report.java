package io.monitorlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The figures of one bench invocation: printed as a table and written as JSON. Figures are added
 * as groups finish, so an interrupted bench still reports what it measured. Thread-safe.
 */
final class Report {
  private final List<Figure> figures = new ArrayList<>();
  private final Map<String, Consumer<PrintWriter>> tables = new HashMap<>();
  private final ObjectNode header;

  /** @param header what to put at the top of the JSON (command, machine, start time) */
  Report(ObjectNode header) {
    this.header = header;
  }

  synchronized void add(Figure f) {
    figures.add(f);
  }

  /** Puts {@code key: value} into the JSON header, to say how the run was set up. */
  synchronized void describe(String key, String value) {
    header.put(key, value);
  }

  /** Prints {@code group}'s figures with {@code table} instead of the common rows (the JSON stays the same). */
  synchronized void table(String group, Consumer<PrintWriter> table) {
    tables.put(group, table);
  }

  synchronized List<Figure> figures() {
    return List.copyOf(figures);
  }

  /** True when at least one figure with a goal failed it. */
  synchronized boolean anyFailed() {
    return figures.stream().anyMatch(f -> f.verdict() == Goal.Verdict.FAIL);
  }

  /** Prints the table: figure | n | median | p99 | max | goal | result, grouped by subcommand. */
  synchronized void print(PrintWriter out) {
    int width = Math.max(30, figures.stream().mapToInt(f -> f.name().length()).max().orElse(30));
    String format = "%-" + width + "s %6s %11s %11s %11s  %-44s %s%n";
    String group = null;
    for (Figure f : figures) {
      if (!f.group().equals(group)) {
        group = f.group();
        out.printf(Locale.ROOT, "%n== %s ==%n", group);
        if (tables.containsKey(group)) {
          tables.get(group).accept(out);
        } else {
          out.printf(Locale.ROOT, format, "figure", "n", "median", "p99", "max", "goal", "result");
        }
      }
      if (tables.containsKey(group)) {
        continue;
      }
      Stats s = f.stats();
      String n = s == null ? "0" : String.valueOf(s.n());
      if (f.missing() > 0) {
        n += "+" + f.missing() + "?";
      }
      out.printf(Locale.ROOT, format, f.name(), n, cell(s == null ? null : s.median(), f.unit()),
          cell(s == null ? null : s.p99(), f.unit()), cell(s == null ? null : s.max(), f.unit()),
          f.goal().text(), f.verdictText());
      if (!f.note().isEmpty()) {
        out.printf(Locale.ROOT, "  %s%n", f.note());
      }
    }
    out.println();
    out.println("n+k? = k trials gave no value (the awaited line never came); they fail the goal.");
    out.flush();
  }

  private static String cell(Double v, String unit) {
    return v == null ? "-" : Units.format(v, unit);
  }

  /** Writes the header and every figure with its statistics and raw values. */
  synchronized void writeJson(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = header.deepCopy();
    ArrayNode rows = root.putArray("figures");
    for (Figure f : figures) {
      ObjectNode row = rows.addObject();
      row.put("group", f.group());
      row.put("figure", f.name());
      row.put("unit", f.unit());
      Stats s = f.stats();
      row.put("n", s == null ? 0 : s.n());
      row.put("missing", f.missing());
      if (s != null) {
        row.put("min", s.min());
        row.put("median", s.median());
        row.put("p99", s.p99());
        row.put("max", s.max());
      }
      row.put("goal", f.goal().text());
      row.put("result", f.verdictText());
      row.put("note", f.note());
      ArrayNode values = row.putArray("values");
      f.values().forEach(values::add);
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = Files.createTempFile(parent, ".bench-results", ".json");
    mapper.writeValue(tmp.toFile(), root);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
