package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EtcdMetricsTest {
  private static final String PAGE = """
      # HELP etcd_mvcc_put_total Total number of puts seen by this member.
      # TYPE etcd_mvcc_put_total counter
      etcd_mvcc_put_total %d
      grpc_server_msg_received_total{grpc_method="LeaseKeepAlive",grpc_service="etcdserverpb.Lease",grpc_type="bidi_stream"} %d
      grpc_server_msg_received_total{grpc_method="Range",grpc_service="etcdserverpb.KV",grpc_type="unary"} 999
      etcd_mvcc_db_total_size_in_bytes %d
      """;

  @Test
  void countersBecomeRatesPerSecondAndSeriesOfOtherMethodsAreLeftOut() {
    EtcdMetrics before = snapshot(100, 10, 0, 0);
    EtcdMetrics after = snapshot(500, 810, 0, 2_000_000_000L);
    Map<String, Double> rates = after.ratesSince(before);
    assertThat(rates.get(EtcdMetrics.PUTS)).isCloseTo(200.0, within(1e-9));
    assertThat(rates.get(EtcdMetrics.KEEPALIVES)).isCloseTo(400.0, within(1e-9));
  }

  @Test
  void gaugesAreReadAsTheyAreWithSizesInMegabytes() {
    assertThat(snapshot(0, 0, 3 * 1024 * 1024, 0).gauges()).containsEntry("etcd db size (MB)", 3.0);
  }

  private static EtcdMetrics snapshot(long puts, long keepalives, long dbBytes, long nanos) {
    return new EtcdMetrics(Map.of("m0", EtcdMetrics.parse(PAGE.formatted(puts, keepalives, dbBytes))), nanos);
  }
}
