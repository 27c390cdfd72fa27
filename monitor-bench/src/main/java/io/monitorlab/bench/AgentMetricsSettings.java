package io.monitorlab.bench;

import java.time.Duration;
import java.util.List;

/**
 * The agent-metrics group's settings, per run. Immutable.
 *
 * @param agents agents per side (metrics [] and all five), run side by side
 * @param interval the agents' config interval
 * @param rssAfter when after the agents' start their RSS is read
 * @param cpuWindow the window over which CPU per iteration is measured (after {@code rssAfter})
 */
record AgentMetricsSettings(int agents, Duration interval, Duration rssAfter, Duration cpuWindow) {
  /** Every metric monitor-agent knows. */
  static final List<String> ALL = List.of("cpu", "memory", "disk", "load", "network");

  AgentMetricsSettings {
    Check.range("--agents", agents, 1, 20);
    Check.range("--interval", interval, Duration.ofSeconds(1), Duration.ofMinutes(1));
    if (interval.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("--interval: invalid value " + DurationConverter.format(interval)
          + ": expected whole seconds");
    }
    Check.range("--rss-after", rssAfter, Duration.ofSeconds(1), Duration.ofHours(1));
    Check.range("--cpu-window", cpuWindow, Duration.ofSeconds(10), Duration.ofHours(2));
  }

  /** The config value that makes an agent collect {@code metrics} every {@link #interval()}. */
  String config(List<String> metrics) {
    StringBuilder json = new StringBuilder("{\"interval\": ").append(interval.toSeconds()).append(", \"metrics\": [");
    for (int i = 0; i < metrics.size(); i++) {
      json.append(i == 0 ? "" : ", ").append('"').append(metrics.get(i)).append('"');
    }
    return json.append("]}").toString();
  }
}
