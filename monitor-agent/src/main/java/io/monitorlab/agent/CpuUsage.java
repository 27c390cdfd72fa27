package io.monitorlab.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The node's CPU busy ratio (0-1) between two readings of {@code /proc/stat}'s {@code cpu} line:
 * busy = total - idle - iowait, total = user + nice + system + idle + iowait + irq + softirq + steal
 * (guest and guest_nice are already counted in user and nice, so they are not added again). A counter
 * that went backwards (a reset, a rewritten file) gives no ratio for that interval. Not thread-safe:
 * used by the work loop only.
 */
final class CpuUsage {
  private final Path stat;
  private long lastTotal = -1;
  private long lastIdle;

  CpuUsage(Path proc) {
    this.stat = proc.resolve("stat");
  }

  /** The ratio since the previous call, or null when there is none (first call, reset, unreadable). */
  Double read() throws IOException {
    String text = ProcFiles.read(stat);
    int end = text.indexOf('\n');
    List<String> f = ProcFiles.fields(end < 0 ? text : text.substring(0, end));
    if (f.size() < 5 || !f.get(0).equals("cpu")) {
      throw new IOException(stat + ": no aggregate cpu line");
    }
    long total = 0;
    for (int i = 1; i <= Math.min(8, f.size() - 1); i++) {
      total += Long.parseLong(f.get(i));
    }
    long idle = Long.parseLong(f.get(4)) + (f.size() > 5 ? Long.parseLong(f.get(5)) : 0);
    long dTotal = total - lastTotal;
    long dIdle = idle - lastIdle;
    boolean first = lastTotal < 0;
    lastTotal = total;
    lastIdle = idle;
    if (first || dTotal <= 0 || dIdle < 0 || dIdle > dTotal) {
      return null;
    }
    return (double) (dTotal - dIdle) / dTotal;
  }
}
