package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BenchSettingsTest {

  private static HttpSettings http(Duration metricsEvery, int sseSamples) {
    return new HttpSettings(10_000, Duration.ofSeconds(60), metricsEvery, 50, Duration.ofMillis(200), sseSamples,
        Duration.ofMillis(200), 1000, 0, Duration.ofSeconds(60));
  }

  @Test
  void theHttpFleetIsOneSizeInLeaseModeWithMetrics() {
    FleetSettings f = http(Duration.ofSeconds(10), 100).fleet();

    assertThat(f.sizes()).containsExactly(10_000);
    assertThat(f.modes()).containsExactly(HeartbeatMode.LEASE);
    assertThat(f.metricsEvery()).isEqualTo(Duration.ofSeconds(10));
    assertThat(f.renewal()).isEqualTo(FleetSim.Renewal.STREAM);
  }

  @Test
  void badHttpOptionsAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> http(Duration.ofMillis(500), 100)).hasMessage(
        "--metrics-every: invalid value 500ms: expected from 1s to 60m");
    assertThatThrownBy(() -> http(Duration.ofSeconds(10), 1)).hasMessage(
        "--sse-samples: invalid value 1: expected a whole number from 2 to 100000");
  }

  @Test
  void theFleetGroupsAgentsPublishNoMetrics() {
    FleetSettings f = new FleetSettings(List.of(1000), Duration.ofMinutes(1), List.of(HeartbeatMode.LEASE), 1000,
        Duration.ofSeconds(60), 0, Duration.ofSeconds(60), FleetSim.Renewal.STREAM);

    assertThat(f.metricsEvery()).isZero();
    assertThat(new SimSettings(Duration.ofSeconds(5), HeartbeatMode.LEASE, Duration.ofSeconds(60)).metrics()).isFalse();
  }

  @Test
  void theAgentMetricsConfigsAreThoseAnOperatorWouldPut() {
    AgentMetricsSettings s = new AgentMetricsSettings(3, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(90));

    assertThat(s.config(List.of())).isEqualTo("{\"interval\": 1, \"metrics\": []}");
    assertThat(s.config(AgentMetricsSettings.ALL))
        .isEqualTo("{\"interval\": 1, \"metrics\": [\"cpu\", \"memory\", \"disk\", \"load\", \"network\"]}");
  }

  @Test
  void anAgentIntervalThatIsNotWholeSecondsIsRefused() {
    assertThatThrownBy(() -> new AgentMetricsSettings(3, Duration.ofMillis(1500), Duration.ofSeconds(60), Duration.ofSeconds(90)))
        .hasMessage("--interval: invalid value 1500ms: expected whole seconds");
  }

  @Test
  void badTlsOptionsAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> new TlsSettings(0, 3, 20, Duration.ofSeconds(60), Duration.ofMinutes(2)))
        .hasMessage("--starts: invalid value 0: expected a whole number from 1 to 1000");
    assertThatThrownBy(() -> new TlsSettings(5, 3, 20, Duration.ofSeconds(60), Duration.ofSeconds(5)))
        .hasMessage("--idle: invalid value 5s: expected from 10s to 120m");
  }

  @Test
  void theTlsRowsNameTheirWindows() {
    TlsSettings s = new TlsSettings(5, 3, 20, Duration.ofSeconds(60), Duration.ofMinutes(2));

    assertThat(TlsRow.RSS.label(s)).isEqualTo("agent RSS 1m after start");
    assertThat(TlsRow.CPU.label(s)).isEqualTo("agent idle CPU over 2m");
  }
}
