package io.monitorlab.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The http group: one real monitor serving HTTP on a free loopback port, watching N simulated agents in lease
 * mode that also publish a metrics value every --metrics-every (and a status value at start), for --duration;
 * during that window {@link HttpProbe} times the API, /metrics and the event stream, while the fleet run
 * ({@link FleetTrial}) counts false DEADs and samples RSS, CPU and etcd's write load. Runs on the caller's thread.
 */
final class HttpBench {
  static final String GROUP = "http";
  /** Issue 9: monitor RSS at 10,000 nodes with metrics. */
  static final double RSS_GOAL_MB = 300;
  private static final Logger log = LoggerFactory.getLogger(HttpBench.class);

  private final BenchContext ctx;
  private final HttpSettings settings;
  private final int runs;

  HttpBench(BenchContext ctx, HttpSettings settings, int runs) {
    this.ctx = ctx;
    this.settings = settings;
    this.runs = runs;
  }

  void run() throws Exception {
    FleetSettings fleet = settings.fleet();
    List<FleetRun> results = new ArrayList<>();
    List<HttpSamples> samples = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      int port = freePort();
      HttpSamples s = new HttpSamples();
      log.info("http agents={} run={}/{} duration={} metrics_every={} port={}", settings.agents(), run, runs,
          DurationConverter.format(settings.duration()), DurationConverter.format(settings.metricsEvery()), port);
      results.add(new FleetTrial(ctx, fleet, settings.agents(), HeartbeatMode.LEASE, run,
          List.of("--http", "127.0.0.1:" + port), new HttpProbe(ctx, settings, port, s)).run());
      samples.add(s);
    }
    new HttpReport(ctx.report(), GROUP, settings).add(samples);
    new FleetReport(ctx.report(), GROUP, settings.agents(), HeartbeatMode.LEASE, fleet, RSS_GOAL_MB).add(results);
    ctx.save();
  }

  /** A loopback port free now (the monitor binds it a moment later; another process could take it first). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
