package io.monitorlab.bench;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code monitor-bench detect}: kill -9 / drop -> DEAD, DELETE -> DEAD, SIGTERM -> LEFT. */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = {"kill -9 / drop -> DEAD, DELETE -> DEAD, SIGTERM -> LEFT.",
        "%nkill -9 of real agents and connection drops of simulated agents -> the monitor's DEAD line (TTL 5 s); "
            + "etcd's DELETE event -> DEAD line; SIGTERM of real agents -> LEFT line. Counts are per run.%n"})
final class DetectCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--real-kills", paramLabel = "N", defaultValue = "10",
      description = "Real agents killed with SIGKILL per run [default: ${DEFAULT-VALUE}].")
  int realKills;

  @Option(names = "--sim-drops", paramLabel = "N", defaultValue = "60",
      description = "Simulated agents that stop renewing per run [default: ${DEFAULT-VALUE}].")
  int simDrops;

  @Option(names = "--terms", paramLabel = "N", defaultValue = "5",
      description = "Real agents stopped with SIGTERM per run [default: ${DEFAULT-VALUE}].")
  int terms;

  @Option(names = "--wave", paramLabel = "N", defaultValue = "5",
      description = "Real agents running at once [default: ${DEFAULT-VALUE}].")
  int wave;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "60",
      description = "Simulated agents registered together, then dropped one at a time [default: ${DEFAULT-VALUE}].")
  int batch;

  @Option(names = "--burst", paramLabel = "N", defaultValue = "50",
      description = "Simulated agents dropped at once per run, to time a mass expiry; 0: none [default: ${DEFAULT-VALUE}].")
  int burst;

  private final Map<String, String> env;

  DetectCommand(Map<String, String> env) {
    this.env = env;
  }

  DetectSettings settings() {
    return new DetectSettings(realKills, simDrops, terms, wave, batch, burst);
  }

  @Override
  public Integer call() throws Exception {
    DetectSettings s = Options.check(spec, this::settings);
    int runs = Options.check(spec, () -> common.runs(3));
    return BenchRun.run(spec, common, env, ctx -> new DetectBench(ctx, s, runs).run());
  }
}
