package io.monitorlab.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code monitor-bench fleet}: one monitor, N simulated agents, refresh and lease mode. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
    description = {"one monitor, N simulated agents: false DEADs, cold start, RSS, etcd load.",
        "%nOne real monitor watching N simulated agents (TTL 5 s) for --duration: false DEAD lines, cold start "
            + "(Get + watch of N keys), monitor RSS and CPU, and etcd's write load, per heartbeat mode: "
            + "refresh = put the value every TTL/2 as the lab does; lease = keepalive only, value every --value-every.%n"})
final class FleetCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--agents", paramLabel = "N", split = ",", defaultValue = "1000",
      description = "Fleet sizes, e.g. 1000,5000,10000 [default: ${DEFAULT-VALUE}].")
  List<Integer> agents;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
      description = "How long each fleet runs once the monitor is up [default: ${DEFAULT-VALUE}].")
  Duration duration;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "both",
      description = "refresh, lease or both [default: ${DEFAULT-VALUE}].")
  String mode;

  @Option(names = "--ramp-rate", paramLabel = "N", defaultValue = "1000",
      description = "Lease grants per second while the fleet registers, at most 1000 [default: ${DEFAULT-VALUE}].")
  int rampRate;

  @Option(names = "--value-every", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "How often lease mode rewrites the heartbeat value [default: ${DEFAULT-VALUE}].")
  Duration valueEvery;

  @Option(names = "--etcd-pid", paramLabel = "PID",
      description = "etcd's process id, to report its CPU and RSS [env BENCH_ETCD_PID; default: not reported].")
  Long etcdPid;

  @Option(names = "--compact-every", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "Compact etcd's history to the revision of one period before, as etcd's periodic auto-compaction "
          + "does; 0s: never [default: ${DEFAULT-VALUE}].")
  Duration compactEvery;

  @Option(names = "--renewal", paramLabel = "HOW", defaultValue = "stream",
      description = "How simulated agents renew: stream = one request on a keepalive stream shared by "
          + FleetSim.AGENTS_PER_STREAM + " agents (light); once = a keepalive stream per renewal, as monitor-agent's "
          + "keepAliveOnce (what a real fleet costs etcd, and more for the bench) [default: ${DEFAULT-VALUE}].")
  String renewal;

  private final Map<String, String> env;

  FleetCommand(Map<String, String> env) {
    this.env = env;
  }

  FleetSettings settings() {
    return new FleetSettings(agents, duration, modes(mode), rampRate, valueEvery, etcdPid(etcdPid, env), compactEvery,
        renewal(renewal));
  }

  static List<HeartbeatMode> modes(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "refresh" -> List.of(HeartbeatMode.REFRESH);
      case "lease" -> List.of(HeartbeatMode.LEASE);
      case "both" -> List.of(HeartbeatMode.REFRESH, HeartbeatMode.LEASE);
      default -> throw new IllegalArgumentException("--mode: invalid value \"" + text + "\": expected refresh, lease or both");
    };
  }

  static FleetSim.Renewal renewal(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "stream" -> FleetSim.Renewal.STREAM;
      case "once" -> FleetSim.Renewal.ONCE;
      default -> throw new IllegalArgumentException("--renewal: invalid value \"" + text + "\": expected stream or once");
    };
  }

  static long etcdPid(Long option, Map<String, String> env) {
    if (option != null) {
      return option;
    }
    String text = env.getOrDefault("BENCH_ETCD_PID", "").trim();
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("BENCH_ETCD_PID: invalid value \"" + text + "\": expected a process id");
    }
  }

  @Override
  public Integer call() throws Exception {
    FleetSettings s = Options.check(spec, this::settings);
    int runs = Options.check(spec, () -> common.runs(1));
    return BenchRun.run(spec, common, env, ctx -> new FleetBench(ctx, s, runs).run());
  }
}
