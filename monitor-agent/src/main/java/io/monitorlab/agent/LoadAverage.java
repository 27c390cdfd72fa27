package io.monitorlab.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The 1, 5 and 15 minute load averages of {@code /proc/loadavg}. This class is thread-safe. */
final class LoadAverage {
  record Reading(double load1, double load5, double load15) {}

  private final Path loadavg;

  LoadAverage(Path proc) {
    this.loadavg = proc.resolve("loadavg");
  }

  Reading read() throws IOException {
    List<String> f = ProcFiles.fields(ProcFiles.read(loadavg));
    if (f.size() < 3) {
      throw new IOException(loadavg + ": expected three load averages");
    }
    return new Reading(Double.parseDouble(f.get(0)), Double.parseDouble(f.get(1)), Double.parseDouble(f.get(2)));
  }
}
