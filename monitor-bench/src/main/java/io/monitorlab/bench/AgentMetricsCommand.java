package io.monitorlab.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code monitor-bench agent-metrics}: what collecting all five metrics costs an agent in RSS and CPU. */
@Command(name = "agent-metrics", mixinStandardHelpOptions = true,
    description = {"agent RSS and CPU per iteration with metrics [] vs all five.",
        "%n--agents real agents with config metrics [] and as many with all five (cpu, memory, disk, load, network), "
            + "interval --interval, run side by side: their RSS --rss-after their start, then their CPU time "
            + "(utime+stime from /proc) per iteration over --cpu-window. A run takes about --rss-after + --cpu-window.%n"})
final class AgentMetricsCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--agents", paramLabel = "N", defaultValue = "3",
      description = "Agents per side, per run [default: ${DEFAULT-VALUE}].")
  int agents;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
      description = "The agents' config interval, whole seconds [default: ${DEFAULT-VALUE}].")
  Duration interval;

  @Option(names = "--rss-after", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "When the agents' RSS is read, after their start [default: ${DEFAULT-VALUE}].")
  Duration rssAfter;

  @Option(names = "--cpu-window", paramLabel = "DURATION", defaultValue = "90s", converter = DurationConverter.class,
      description = "The CPU window, after --rss-after; at least 60 iterations [default: ${DEFAULT-VALUE}].")
  Duration cpuWindow;

  private final Map<String, String> env;

  AgentMetricsCommand(Map<String, String> env) {
    this.env = env;
  }

  AgentMetricsSettings settings() {
    return new AgentMetricsSettings(agents, interval, rssAfter, cpuWindow);
  }

  @Override
  public Integer call() throws Exception {
    AgentMetricsSettings s = Options.check(spec, this::settings);
    int runs = Options.check(spec, () -> common.runs(1));
    return BenchRun.run(spec, common, env, ctx -> new AgentMetricsBench(ctx, s, runs).run());
  }
}
