package io.monitorlab.bench;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code monitor-bench config}: put -> UPDATED; interval switch -> first iteration. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = {"config put -> UPDATED, interval switch -> first iteration.",
        "%nA config put -> the agent's UPDATED line; a switch from a 30 s to a 2 s interval -> the first "
            + "iteration at 2 s. One real agent per run; counts are per run.%n"})
final class ConfigCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--updates", paramLabel = "N", defaultValue = "50",
      description = "Config puts timed to the UPDATED line per run [default: ${DEFAULT-VALUE}].")
  int updates;

  @Option(names = "--interval-trials", paramLabel = "N", defaultValue = "5",
      description = "30 s -> 2 s interval switches per run [default: ${DEFAULT-VALUE}].")
  int intervalTrials;

  private final Map<String, String> env;

  ConfigCommand(Map<String, String> env) {
    this.env = env;
  }

  ConfigSettings settings() {
    return new ConfigSettings(updates, intervalTrials);
  }

  @Override
  public Integer call() throws Exception {
    ConfigSettings s = Options.check(spec, this::settings);
    int runs = Options.check(spec, () -> common.runs(3));
    return BenchRun.run(spec, common, env, ctx -> new ConfigBench(ctx, s, runs).run());
  }
}
