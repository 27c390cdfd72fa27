package io.monitorlab.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.monitorlab.common.Json;
import io.monitorlab.common.Py;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the metrics a config names, once per iteration: the value of {@code /monitor/metrics/<node>}
 * (JSON, base units, {@code ts} first, only the configured metrics, null for a reading that failed) and
 * the console's {@code [Metrics]} line. An unknown name is ignored (the work loop reports it once per config).
 * The CPU and network readers are primed at construction, so that the first iteration has a window.
 * Not thread-safe: used by the work loop only.
 */
final class MetricsCollector {
  private static final Logger log = LoggerFactory.getLogger(MetricsCollector.class);
  static final Set<String> KNOWN = new TreeSet<>(List.of("cpu", "disk", "load", "memory", "network"));
  private static final double GIB = 1024.0 * 1024 * 1024;

  /** One iteration's reading: the JSON to publish and the console line. */
  record Reading(String json, String line) {}

  private final CpuUsage cpu;
  private final MemoryInfo memory;
  private final Filesystems disks;
  private final LoadAverage load;
  private final NetworkRates network;
  private final Clock clock;

  MetricsCollector(MetricRoots roots, Clock clock) {
    this(roots, new Filesystems(roots), clock);
  }

  MetricsCollector(MetricRoots roots, Filesystems disks, Clock clock) {
    this.cpu = new CpuUsage(roots.proc());
    this.memory = new MemoryInfo(roots.proc());
    this.disks = disks;
    this.load = new LoadAverage(roots.proc());
    this.network = new NetworkRates(roots.netDev());
    this.clock = clock;
    try {
      cpu.read();
      network.read(System.nanoTime());
    } catch (Exception e) {
      log.debug("priming metric readers failed error=\"{}\"", e.toString());
    }
  }

  /** Reads what {@code metrics} names; unknown names are left out (see {@link #unknown}). */
  Reading collect(List<String> metrics) {
    JsonNodeFactory nodes = Json.nodes();
    ObjectNode json = nodes.objectNode();
    Instant now = clock.instant();
    json.put("ts", now.getEpochSecond() + (now.getNano() / 1000) / 1e6);
    StringJoiner line = new StringJoiner(" ", "[Metrics] ", "");
    for (String name : metrics) {
      if (json.has(name)) {
        continue;
      }
      try {
        switch (name) {
          case "cpu" -> cpu(json, line);
          case "memory" -> memory(json, line);
          case "disk" -> disk(json, line);
          case "load" -> load(json, line);
          case "network" -> network(json, line);
          default -> { }
        }
      } catch (Exception e) {
        json.putNull(name);
        line.add(name + "=error");
        log.warn("metric reading failed metric={} error=\"{}\"", name, e.toString());
      }
    }
    if (line.length() == "[Metrics] ".length()) {
      line.add("none configured");
    }
    return new Reading(Py.dumps(json), line.toString());
  }

  private void cpu(ObjectNode json, StringJoiner line) throws Exception {
    Double ratio = cpu.read();
    if (ratio == null) {
      json.putNull("cpu");
      line.add("cpu=-");
    } else {
      json.putObject("cpu").put("usage_ratio", Math.round(ratio * 10000) / 10000.0);
      line.add("cpu=" + Decimals.fixed(ratio * 100, 1) + "%");
    }
  }

  private void memory(ObjectNode json, StringJoiner line) throws Exception {
    MemoryInfo.Reading m = memory.read();
    json.putObject("memory").put("total_bytes", m.total()).put("available_bytes", m.available());
    line.add("memory=" + gib(m.available(), m.total()));
  }

  private void disk(ObjectNode json, StringJoiner line) throws Exception {
    ObjectNode disk = json.putObject("disk");
    StringJoiner text = new StringJoiner(", ", "disk=", "");
    for (Map.Entry<String, Filesystems.Usage> e : disks.read().entrySet()) {
      disk.putObject(e.getKey()).put("size_bytes", e.getValue().size()).put("avail_bytes", e.getValue().avail());
      text.add(e.getKey() + " " + gib(e.getValue().avail(), e.getValue().size()));
    }
    line.add(disk.isEmpty() ? "disk=-" : text.toString());
  }

  private void load(ObjectNode json, StringJoiner line) throws Exception {
    LoadAverage.Reading l = load.read();
    json.putObject("load").put("load1", l.load1()).put("load5", l.load5()).put("load15", l.load15());
    line.add("load=" + Decimals.fixed(l.load1(), 2) + " " + Decimals.fixed(l.load5(), 2) + " " + Decimals.fixed(l.load15(), 2));
  }

  private void network(ObjectNode json, StringJoiner line) throws Exception {
    ObjectNode net = json.putObject("network");
    StringJoiner text = new StringJoiner(", ", "network=", "");
    for (Map.Entry<String, NetworkRates.Rate> e : network.read(System.nanoTime()).entrySet()) {
      double rx = Math.round(e.getValue().rxPerSecond() * 10) / 10.0;
      double tx = Math.round(e.getValue().txPerSecond() * 10) / 10.0;
      net.putObject(e.getKey()).put("rx_bytes_per_second", rx).put("tx_bytes_per_second", tx);
      text.add(e.getKey() + " rx " + Decimals.fixed(rx / 1024, 1) + " KiB/s tx " + Decimals.fixed(tx / 1024, 1) + " KiB/s");
    }
    line.add(net.isEmpty() ? "network=-" : text.toString());
  }

  /** {@code 7.9/15.6 GiB available}. */
  private static String gib(long available, long total) {
    return Decimals.fixed(available / GIB, 1) + "/" + Decimals.fixed(total / GIB, 1) + " GiB available";
  }

  /** The names of {@code metrics} the agent does not know, once each, in the config's order. */
  static List<String> unknown(List<String> metrics) {
    return metrics.stream().filter(m -> !KNOWN.contains(m)).distinct().toList();
  }

  /** The line for a name the agent does not know: {@code [Metrics] unknown metric 'gpu' ignored; known: ...}. */
  static String unknownLine(String name) {
    String quoted = Py.repr(List.of(name));
    return "[Metrics] unknown metric " + quoted.substring(1, quoted.length() - 1) + " ignored; known: "
        + String.join(", ", KNOWN);
  }
}
