package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.Json;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SimMetricsTest {

  @Test
  void theMetricsValueHasTsFirstAndAllFiveMetricsInBaseUnits() throws Exception {
    JsonNode v = Json.parse(SimMetrics.value(1732400000.123456, new SplittableRandom(1)));

    assertThat(v.fieldNames()).toIterable().containsExactly("ts", "cpu", "memory", "disk", "load", "network");
    assertThat(v.get("ts").doubleValue()).isEqualTo(1732400000.123456);
    assertThat(v.at("/cpu/usage_ratio").doubleValue()).isBetween(0.0, 1.0);
    assertThat(v.at("/memory/available_bytes").longValue()).isLessThanOrEqualTo(v.at("/memory/total_bytes").longValue());
    assertThat(v.get("disk").fieldNames()).toIterable().containsExactly("/", "/var/lib/etcd");
    assertThat(v.at("/disk/~1/avail_bytes").longValue()).isLessThan(v.at("/disk/~1/size_bytes").longValue());
    assertThat(v.get("load").fieldNames()).toIterable().containsExactly("load1", "load5", "load15");
    assertThat(v.at("/network/eth0/rx_bytes_per_second").isNumber()).isTrue();
  }

  @Test
  void theMetricsValueIsWrittenAsPythonsJsonDumpsAndIsAboutFourHundredBytes() {
    String v = SimMetrics.value(1732400000.5, new SplittableRandom(7));

    assertThat(v).startsWith("{\"ts\": 1732400000.5, \"cpu\": {\"usage_ratio\": ").doesNotContain("\n").doesNotContain("\":\"");
    assertThat(v.length()).isBetween(350, 450);
  }

  @Test
  void readingsDifferFromOneCallToTheNext() {
    SplittableRandom r = new SplittableRandom(3);

    assertThat(List.of(SimMetrics.value(1, r), SimMetrics.value(1, r))).doesNotHaveDuplicates();
  }

  @Test
  void theStatusValueIsOneTheMonitorReads() {
    AgentStatus s = AgentStatus.parse(SimMetrics.status(1732400000.25)).orElseThrow();

    assertThat(s.configRevision()).isZero();
    assertThat(s.rejectedRevision()).isNull();
    assertThat(s.heartbeatMode()).isEqualTo("lease");
    assertThat(s.startedAt()).isEqualTo(1732400000.25);
  }
}
