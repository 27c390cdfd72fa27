package io.monitorlab.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code MemTotal} and {@code MemAvailable} of {@code /proc/meminfo} in bytes. Kernels before 3.14 have
 * no MemAvailable: it is then estimated as MemFree + Buffers + Cached (what {@code free} showed then),
 * said once in the log. Not thread-safe: used by the work loop only.
 */
final class MemoryInfo {
  private static final Logger log = LoggerFactory.getLogger(MemoryInfo.class);

  /** Bytes. */
  record Reading(long total, long available) {}

  private final Path meminfo;
  private boolean warned;

  MemoryInfo(Path proc) {
    this.meminfo = proc.resolve("meminfo");
  }

  Reading read() throws IOException {
    long total = -1;
    long available = -1;
    long free = 0;
    long buffers = 0;
    long cached = 0;
    for (String line : ProcFiles.read(meminfo).split("\n")) {
      List<String> f = ProcFiles.fields(line);
      if (f.size() < 2) {
        continue;
      }
      long bytes = Long.parseLong(f.get(1)) * (f.size() > 2 && f.get(2).equals("kB") ? 1024 : 1);
      switch (f.get(0)) {
        case "MemTotal:" -> total = bytes;
        case "MemAvailable:" -> available = bytes;
        case "MemFree:" -> free = bytes;
        case "Buffers:" -> buffers = bytes;
        case "Cached:" -> cached = bytes;
        default -> { }
      }
    }
    if (total < 0) {
      throw new IOException(meminfo + ": no MemTotal");
    }
    if (available < 0) {
      if (!warned) {
        warned = true;
        log.warn("no MemAvailable in {} (kernel before 3.14); estimating it as MemFree + Buffers + Cached", meminfo);
      }
      available = free + buffers + cached;
    }
    return new Reading(total, Math.min(available, total));
  }
}
