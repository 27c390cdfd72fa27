package io.monitorlab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** Reads a process's resident memory and CPU time from Linux's /proc. Thread-safe. */
final class ProcStats {
  private static volatile long clockTicks;

  private ProcStats() {}

  /** VmRSS in kB, or empty when the process is gone. */
  static OptionalLong rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.substring(6).trim().split("\\s+")[0]));
        }
      }
      return OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** How many threads the process has, or -1 when it is gone. */
  static int threads(long pid) {
    try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      return (int) tasks.count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }

  /** utime + stime of all threads, in clock ticks, or empty when the process is gone. */
  static OptionalLong cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.UTF_8);
      // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return OptionalLong.of(Long.parseLong(f[11]) + Long.parseLong(f[12]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** Clock ticks per second ({@code getconf CLK_TCK}); 100, Linux's usual value, if getconf fails. */
  static long clockTicksPerSecond() {
    long cached = clockTicks;
    if (cached > 0) {
      return cached;
    }
    long ticks = 100;
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("\\d+")) {
        ticks = Long.parseLong(out);
      }
    } catch (IOException e) {
      // keep 100
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    clockTicks = ticks;
    return ticks;
  }

  /** CPU use in % of one core from {@code ticks} consumed over {@code nanos} of wall time. */
  static double percentOfCore(long ticks, long nanos) {
    return ticks / (double) clockTicksPerSecond() / (nanos / 1e9) * 100;
  }

  static double mb(long kb) {
    return kb / 1024.0;
  }
}
