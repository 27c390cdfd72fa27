package io.monitorlab.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Received and sent bytes per second per interface between two readings of {@code /proc/net/dev}
 * (loopback left out). An interface whose counter went backwards (reset, re-created) has no rate for
 * that interval. Not thread-safe: used by the work loop only.
 */
final class NetworkRates {
  record Rate(double rxPerSecond, double txPerSecond) {}

  private record Counters(long rx, long tx, long atNanos) {}

  private final Path netDev;
  private Map<String, Counters> last = new HashMap<>();

  NetworkRates(Path netDev) {
    this.netDev = netDev;
  }

  /** The rates since the previous call, by interface name; empty on the first call. */
  Map<String, Rate> read(long nowNanos) throws IOException {
    Map<String, Counters> current = new HashMap<>();
    Map<String, Rate> out = new TreeMap<>();
    for (String line : ProcFiles.read(netDev).split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      List<String> f = ProcFiles.fields(line.substring(colon + 1));
      if (name.equals("lo") || f.size() < 9) {
        continue;
      }
      Counters c = new Counters(Long.parseLong(f.get(0)), Long.parseLong(f.get(8)), nowNanos);
      current.put(name, c);
      Counters before = last.get(name);
      if (before != null && c.atNanos > before.atNanos && c.rx >= before.rx && c.tx >= before.tx) {
        double seconds = (c.atNanos - before.atNanos) / 1e9;
        out.put(name, new Rate((c.rx - before.rx) / seconds, (c.tx - before.tx) / seconds));
      }
    }
    last = current;
    return out;
  }
}
