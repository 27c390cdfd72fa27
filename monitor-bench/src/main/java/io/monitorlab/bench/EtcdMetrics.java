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
  static final String PUTS = "etcd puts";
  static final String RENEWALS = "etcd lease renewals";
  static final String KEEPALIVES = "etcd keepalive messages received";
  static final List<Counter> COUNTERS = List.of(
      new Counter(PUTS, "etcd_mvcc_put_total", ""),
      new Counter("etcd raft proposals committed", "etcd_server_proposals_committed_total", ""),
      new Counter("etcd WAL fsyncs", "etcd_disk_wal_fsync_duration_seconds_count", ""),
      new Counter(FSYNC_SECONDS, "etcd_disk_wal_fsync_duration_seconds_sum", ""),
      new Counter("etcd WAL bytes written (kB)", "etcd_disk_wal_write_bytes_total", ""),
      new Counter("etcd backend commits", "etcd_disk_backend_commit_duration_seconds_count", ""),
      new Counter(RENEWALS, "etcd_debugging_lease_renewed_total", ""),
      new Counter(KEEPALIVES, "grpc_server_msg_received_total", "grpc_method=\"LeaseKeepAlive\""),
      new Counter("etcd client bytes received (kB)", "etcd_network_client_grpc_received_bytes_total", ""));
  /** Values read as they are (largest over the members), not as rates. */
  static final List<Counter> GAUGES = List.of(
      new Counter("etcd db size (MB)", "etcd_mvcc_db_total_size_in_bytes", ""),
      new Counter("etcd db size in use (MB)", "etcd_mvcc_db_total_size_in_use_in_bytes", ""),
      new Counter("etcd keys", "etcd_debugging_mvcc_keys_total", ""));

  private static final List<Counter> ALL = java.util.stream.Stream.concat(COUNTERS.stream(), GAUGES.stream()).toList();

  static EtcdMetrics scrape(EtcdHttp http) throws InterruptedException {
    long now = System.nanoTime();
    Map<String, Map<String, Double>> members = new LinkedHashMap<>();
    http.getAll("metrics").forEach((member, body) -> members.put(member, parse(body)));
    return new EtcdMetrics(members, now);
  }

  /** The series of {@link #COUNTERS} and {@link #GAUGES} in a Prometheus text page; series of one name are summed. */
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
      for (Counter c : ALL) {
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

  /** The {@link #GAUGES} in this snapshot, largest over the members; MB for sizes. */
  Map<String, Double> gauges() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Counter c : GAUGES) {
      byMember.values().stream().map(m -> m.get(c.label())).filter(v -> v != null).mapToDouble(Double::doubleValue).max()
          .ifPresent(v -> out.put(c.label(), c.label().contains("(MB)") ? v / (1024 * 1024) : v));
    }
    return out;
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
