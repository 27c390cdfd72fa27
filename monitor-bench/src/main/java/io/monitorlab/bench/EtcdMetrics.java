package io.monitorlab.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the etcd counters that show write load, per member, and the per-second rates
 * between two snapshots. Every member applies every write, and only the leader counts lease
 * renewals, so a rate is the largest over the members. Immutable.
 */
record EtcdMetrics(Map<String, Map<String, Double>> byMember, long nanos) {
  /** A counter to report: its label in the table, the series name and a label filter (or empty). */
  record Counter(String label, String name, String mustContain) {}

  static final String FSYNC_SECONDS = "etcd WAL fsync seconds";
  static final List<Counter> COUNTERS = List.of(
      new Counter("etcd puts", "etcd_mvcc_put_total", ""),
      new Counter("etcd raft proposals committed", "etcd_server_proposals_committed_total", ""),
      new Counter("etcd WAL fsyncs", "etcd_disk_wal_fsync_duration_seconds_count", ""),
      new Counter(FSYNC_SECONDS, "etcd_disk_wal_fsync_duration_seconds_sum", ""),
      new Counter("etcd WAL bytes written (kB)", "etcd_disk_wal_write_bytes_total", ""),
      new Counter("etcd backend commits", "etcd_disk_backend_commit_duration_seconds_count", ""),
      new Counter("etcd lease renewals", "etcd_debugging_lease_renewed_total", ""),
      new Counter("etcd keepalive messages received", "grpc_server_msg_received_total", "grpc_method=\"LeaseKeepAlive\""),
      new Counter("etcd client bytes received (kB)", "etcd_network_client_grpc_received_bytes_total", ""));

  static EtcdMetrics scrape(EtcdHttp http) throws InterruptedException {
    long now = System.nanoTime();
    Map<String, Map<String, Double>> members = new LinkedHashMap<>();
    http.getAll("metrics").forEach((member, body) -> members.put(member, parse(body)));
    return new EtcdMetrics(members, now);
  }

  /** The counters of {@link #COUNTERS} in a Prometheus text page; series of one counter are summed. */
  static Map<String, Double> parse(String body) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String series = line.substring(0, space);
      int brace = series.indexOf('{');
      String name = brace < 0 ? series : series.substring(0, brace);
      for (Counter c : COUNTERS) {
        if (c.name().equals(name) && series.contains(c.mustContain())) {
          try {
            out.merge(c.label(), Double.parseDouble(line.substring(space + 1).trim()), Double::sum);
          } catch (NumberFormatException e) {
            // not a sample line
          }
        }
      }
    }
    return out;
  }

  /** The mean WAL fsync time in ms from {@code before} to this snapshot (largest over the members), or NaN. */
  double meanFsyncMsSince(EtcdMetrics before) {
    Map<String, Double> rates = ratesSince(before);
    Double seconds = rates.get(FSYNC_SECONDS);
    Double count = rates.get("etcd WAL fsyncs");
    return seconds == null || count == null || count == 0 ? Double.NaN : seconds / count * 1000;
  }

  /** Per-second rates from {@code before} to this snapshot, largest over the members; kB for byte counters. */
  Map<String, Double> ratesSince(EtcdMetrics before) {
    double seconds = (nanos - before.nanos) / 1e9;
    Map<String, Double> out = new LinkedHashMap<>();
    for (Counter c : COUNTERS) {
      double best = Double.NaN;
      for (Map.Entry<String, Map<String, Double>> m : byMember.entrySet()) {
        Double now = m.getValue().get(c.label());
        Double then = before.byMember.getOrDefault(m.getKey(), Map.of()).get(c.label());
        if (now != null && then != null) {
          double rate = (now - then) / seconds / (c.label().contains("(kB)") ? 1024 : 1);
          best = Double.isNaN(best) ? rate : Math.max(best, rate);
        }
      }
      if (!Double.isNaN(best)) {
        out.put(c.label(), best);
      }
    }
    return out;
  }
}
