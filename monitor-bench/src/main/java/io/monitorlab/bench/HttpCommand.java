package io.monitorlab.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code monitor-bench http}: the monitor's API, /metrics and event stream at fleet scale, with metrics. */
@Command(name = "http", mixinStandardHelpOptions = true,
    description = {"API, /metrics and SSE at fleet scale: latencies, monitor RSS, false DEADs, etcd load.",
        "%nOne real monitor with --http on a free loopback port watching N simulated agents (lease mode, TTL 5 s) "
            + "that also put a metrics value (~410 bytes: cpu, memory, 2 disks, load, 1 interface) every "
            + "--metrics-every, bound to their lease, and a status value at start. Once /readyz is 200 and all N are "
            + "ALIVE in /api/v1/nodes: --requests sequential GET /metrics and GET /api/v1/nodes, then --sse-samples "
            + "transitions (a fresh node's heartbeat put, then deleted) timed to an SSE client on /api/v1/events. "
            + "Over the --duration window: false DEAD lines, monitor RSS and CPU, etcd's write load.%n"})
final class HttpCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--agents", paramLabel = "N", defaultValue = "10000",
      description = "Simulated agents [default: ${DEFAULT-VALUE}].")
  int agents;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "The steady window once the monitor is up; the probes run inside it [default: ${DEFAULT-VALUE}].")
  Duration duration;

  @Option(names = "--metrics-every", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "How often each agent puts its metrics value [default: ${DEFAULT-VALUE}].")
  Duration metricsEvery;

  @Option(names = "--requests", paramLabel = "N", defaultValue = "50",
      description = "Sequential requests per path, per run [default: ${DEFAULT-VALUE}].")
  int requests;

  @Option(names = "--request-gap", paramLabel = "DURATION", defaultValue = "200ms", converter = DurationConverter.class,
      description = "Pause between two requests [default: ${DEFAULT-VALUE}].")
  Duration requestGap;

  @Option(names = "--sse-samples", paramLabel = "N", defaultValue = "100",
      description = "Transitions timed to the SSE client, per run, half ALIVE and half DEAD [default: ${DEFAULT-VALUE}].")
  int sseSamples;

  @Option(names = "--sse-every", paramLabel = "DURATION", defaultValue = "200ms", converter = DurationConverter.class,
      description = "One change (put or delete) every DURATION [default: ${DEFAULT-VALUE}].")
  Duration sseEvery;

  @Option(names = "--ramp-rate", paramLabel = "N", defaultValue = "1000",
      description = "Lease grants per second while the fleet registers, at most 1000 [default: ${DEFAULT-VALUE}].")
  int rampRate;

  @Option(names = "--etcd-pid", paramLabel = "PID",
      description = "etcd's process id, to report its CPU and RSS [env BENCH_ETCD_PID; default: not reported].")
  Long etcdPid;

  @Option(names = "--compact-every", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "Compact etcd's history to the revision of one period before; 0s: never [default: ${DEFAULT-VALUE}].")
  Duration compactEvery;

  private final Map<String, String> env;

  HttpCommand(Map<String, String> env) {
    this.env = env;
  }

  HttpSettings settings() {
    return new HttpSettings(agents, duration, metricsEvery, requests, requestGap, sseSamples, sseEvery, rampRate,
        FleetCommand.etcdPid(etcdPid, env), compactEvery);
  }

  @Override
  public Integer call() throws Exception {
    HttpSettings s = Options.check(spec, this::settings);
    int runs = Options.check(spec, () -> common.runs(1));
    return BenchRun.run(spec, common, env, ctx -> new HttpBench(ctx, s, runs).run());
  }
}
