package io.monitorlab.bench;

import java.util.EnumMap;
import java.util.Map;

/** What one side of the tls group (plaintext or TLS) measured, per {@link TlsRow}. Owned by one thread; not thread-safe. */
final class TlsSamples {
  private final String label;
  private final Map<TlsRow, RunSamples> rows = new EnumMap<>(TlsRow.class);

  TlsSamples(String label) {
    this.label = label;
    for (TlsRow row : TlsRow.values()) {
      rows.put(row, new RunSamples());
    }
  }

  String label() {
    return label;
  }

  RunSamples get(TlsRow row) {
    return rows.get(row);
  }

  void add(TlsRow row, double value) {
    rows.get(row).add(value);
  }

  /** Trials that gave no value for {@code rows}. */
  void miss(TlsRow... missed) {
    for (TlsRow row : missed) {
      rows.get(row).miss();
    }
  }

  /** Closes the run on every row. */
  void endRun() {
    rows.values().forEach(RunSamples::endRun);
  }
}
