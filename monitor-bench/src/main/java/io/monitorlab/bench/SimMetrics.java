package io.monitorlab.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.Json;
import io.monitorlab.common.Py;
import java.util.SplittableRandom;

/**
 * The values a simulated agent publishes besides its heartbeat, shaped as monitor-agent writes them:
 * {@code /monitor/metrics/<node>} with all five metrics (cpu, memory, two disks, load, one network
 * interface; about 410 bytes) and {@code /monitor/status/<node>}. Readings vary per node and per call
 * but stay plausible. Pure apart from the random source it is given. Thread-safe.
 */
final class SimMetrics {
  private static final long GIB = 1024L * 1024 * 1024;

  private SimMetrics() {}

  /** The metrics value at {@code epochSeconds}, from {@code random}'s next readings. */
  static String value(double epochSeconds, SplittableRandom random) {
    ObjectNode json = Json.nodes().objectNode();
    json.put("ts", Math.round(epochSeconds * 1e6) / 1e6);
    json.putObject("cpu").put("usage_ratio", round(random.nextDouble(), 4));
    long total = 16 * GIB;
    json.putObject("memory").put("total_bytes", total).put("available_bytes", total / 4 + random.nextLong(total / 2));
    ObjectNode disk = json.putObject("disk");
    disk.putObject("/").put("size_bytes", 100 * GIB).put("avail_bytes", 20 * GIB + random.nextLong(60 * GIB));
    disk.putObject("/var/lib/etcd").put("size_bytes", 50 * GIB).put("avail_bytes", 10 * GIB + random.nextLong(30 * GIB));
    double load1 = round(random.nextDouble() * 4, 2);
    json.putObject("load").put("load1", load1).put("load5", round(load1 * 0.9, 2)).put("load15", round(load1 * 0.8, 2));
    json.putObject("network").putObject("eth0")
        .put("rx_bytes_per_second", round(random.nextDouble() * 1e6, 1))
        .put("tx_bytes_per_second", round(random.nextDouble() * 5e5, 1));
    return Py.dumps(json);
  }

  /** The status value an agent writes at start: default config (revision 0), nothing rejected, lease mode. */
  static String status(double epochSeconds) {
    return new AgentStatus(0, epochSeconds, null, null, "bench", epochSeconds, "lease").toJson();
  }

  private static double round(double v, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }
}
