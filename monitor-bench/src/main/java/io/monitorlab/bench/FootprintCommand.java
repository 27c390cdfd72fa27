package io.monitorlab.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code monitor-bench footprint}: start -> key visible, agent RSS, idle CPU. */
@Command(name = "footprint", mixinStandardHelpOptions = true,
    description = {"start -> key visible, agent RSS, idle CPU.",
        "%nAgent start -> heartbeat key visible; agent RSS after --rss-after; idle CPU of two agents and of the "
            + "monitor watching them over --idle. A run takes about --rss-after + --idle.%n"})
final class FootprintCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--starts", paramLabel = "N", defaultValue = "5",
      description = "Agent starts timed to the key becoming visible, per run [default: ${DEFAULT-VALUE}].")
  int starts;

  @Option(names = "--rss-after", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "When the agents' RSS is read, after their start [default: ${DEFAULT-VALUE}].")
  Duration rssAfter;

  @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
      description = "The idle CPU window, after --rss-after [default: ${DEFAULT-VALUE}].")
  Duration idle;

  private final Map<String, String> env;

  FootprintCommand(Map<String, String> env) {
    this.env = env;
  }

  FootprintSettings settings() {
    return new FootprintSettings(starts, rssAfter, idle);
  }

  @Override
  public Integer call() throws Exception {
    FootprintSettings s = Options.check(spec, this::settings);
    int runs = Options.check(spec, () -> common.runs(3));
    return BenchRun.run(spec, common, env, ctx -> new FootprintBench(ctx, s, runs).run());
  }
}
