package io.monitorlab.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code monitor-bench all}: every group with its default counts, then the fleet. */
@Command(name = "all", mixinStandardHelpOptions = true,
    description = {"every group: detect, config, footprint, then fleet.",
        "%ndetect, config and footprint with their default counts (--runs each), then fleet (--fleet-runs of "
            + "each size and mode). With the defaults it takes about 50 minutes.%n"})
final class AllCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--fleet-agents", paramLabel = "N", split = ",", defaultValue = "1000",
      description = "Fleet sizes [default: ${DEFAULT-VALUE}].")
  List<Integer> fleetAgents;

  @Option(names = "--fleet-duration", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
      description = "How long each fleet runs [default: ${DEFAULT-VALUE}].")
  Duration fleetDuration;

  @Option(names = "--fleet-runs", paramLabel = "N", defaultValue = "1",
      description = "Runs of each fleet size and mode [default: ${DEFAULT-VALUE}].")
  int fleetRuns;

  @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
      description = "The footprint's idle CPU window [default: ${DEFAULT-VALUE}].")
  Duration idle;

  @Option(names = "--etcd-pid", paramLabel = "PID",
      description = "etcd's process id, to report its CPU and RSS in the fleet [env BENCH_ETCD_PID].")
  Long etcdPid;

  private final Map<String, String> env;

  AllCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    int runs = Options.check(spec, () -> common.runs(3));
    DetectSettings detect = new DetectSettings(10, 60, 5, 5, 60, 50);
    ConfigSettings config = new ConfigSettings(50, 5);
    FootprintSettings footprint = Options.check(spec, () -> new FootprintSettings(5, Duration.ofSeconds(60), idle));
    FleetSettings fleet = Options.check(spec, () -> {
      Check.range("--fleet-runs", fleetRuns, 1, 100);
      return new FleetSettings(fleetAgents, fleetDuration, FleetCommand.modes("both"), 1000, Duration.ofSeconds(60),
          FleetCommand.etcdPid(etcdPid, env), Duration.ofSeconds(60), FleetSim.Renewal.STREAM);
    });
    return BenchRun.run(spec, common, env, ctx -> {
      new DetectBench(ctx, detect, runs).run();
      ctx.save();
      new ConfigBench(ctx, config, runs).run();
      ctx.save();
      new FootprintBench(ctx, footprint, runs).run();
      ctx.save();
      new FleetBench(ctx, fleet, fleetRuns).run();
    });
  }
}
