package io.monitorlab.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tls group's figures: per {@link TlsRow} the plaintext side, the TLS side and their difference per run (which
 * carries the goal), into the report and its JSON; printed as one table with min / median / max of each, three
 * lines per figure. Not thread-safe: built once, after the runs.
 */
final class TlsReport {
  /** One row's three figures. */
  private record Triple(TlsRow row, Figure plain, Figure tls, Figure delta) {}

  private static final String DELTA = "TLS - plaintext";
  private final TlsSamples plain;
  private final TlsSamples tls;
  private final TlsSettings settings;
  private final int runs;
  private final List<Triple> triples = new ArrayList<>();

  TlsReport(TlsSamples plain, TlsSamples tls, TlsSettings settings, int runs) {
    this.plain = plain;
    this.tls = tls;
    this.settings = settings;
    this.runs = runs;
  }

  /** Adds the figures of every row that was measured, and this table for the group. */
  void addTo(Report report) {
    for (TlsRow row : TlsRow.values()) {
      if (!measured(plain.get(row)) && !measured(tls.get(row))) {
        continue;
      }
      String name = row.label(settings);
      List<Double> deltas = tls.get(row).minus(plain.get(row));
      Triple t = new Triple(row, side(plain, row, name), side(tls, row, name),
          new Figure(TlsBench.GROUP, DELTA + ": " + name, row.unit(), deltas, runs - deltas.size(), row.deltaGoal(),
              "per run: median of the TLS side - median of the plaintext side; " + runs + " runs"));
      triples.add(t);
      report.add(t.plain());
      report.add(t.tls());
      report.add(t.delta());
    }
    report.table(TlsBench.GROUP, this::print);
  }

  private static boolean measured(RunSamples s) {
    return !s.all().isEmpty() || s.missing() > 0;
  }

  private static Figure side(TlsSamples side, TlsRow row, String name) {
    RunSamples s = side.get(row);
    return new Figure(TlsBench.GROUP, side.label() + ": " + name, row.unit(), s.all(), s.missing(), Goal.measureOnly(),
        row.note());
  }

  /** figure | side | n | min | median | max | goal | result; the goal is on the difference line. */
  private void print(PrintWriter out) {
    int width = Math.max(30, triples.stream().mapToInt(t -> t.row().label(settings).length()).max().orElse(30));
    String format = "%-" + width + "s  %-15s %7s %11s %11s %11s  %-16s %s%n";
    out.printf(Locale.ROOT, format, "figure", "side", "n", "min", "median", "max", "goal (TLS cost)", "result");
    for (Triple t : triples) {
      line(out, format, t.row().label(settings), plain.label(), t.plain(), false);
      line(out, format, "", tls.label(), t.tls(), false);
      line(out, format, "", DELTA, t.delta(), true);
      if (!t.row().note().isEmpty()) {
        out.printf(Locale.ROOT, "  %s%n", t.row().note());
      }
    }
  }

  private static void line(PrintWriter out, String format, String name, String side, Figure f, boolean signed) {
    Stats s = f.stats();
    String n = (s == null ? "0" : String.valueOf(s.n())) + (f.missing() > 0 ? "+" + f.missing() + "?" : "");
    out.printf(Locale.ROOT, format, name, side, n, cell(s == null ? null : s.min(), f.unit(), signed),
        cell(s == null ? null : s.median(), f.unit(), signed), cell(s == null ? null : s.max(), f.unit(), signed),
        f.goal().isMeasureOnly() ? "" : f.goal().text(), f.goal().isMeasureOnly() ? "" : f.verdictText());
  }

  private static String cell(Double v, String unit, boolean signed) {
    if (v == null) {
      return "-";
    }
    String text = Units.format(v, unit);
    if (text.equals("-" + Units.format(0, unit))) {
      // -0.04 ms shows as 0.0 ms: a sign would claim a direction that the digits shown do not have
      text = Units.format(0, unit);
    }
    return (signed && !text.startsWith("-") ? "+" : "") + text;
  }
}
