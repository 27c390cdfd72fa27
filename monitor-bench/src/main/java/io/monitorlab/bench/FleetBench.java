package io.monitorlab.bench;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet group: one real monitor watching N simulated agents (TTL 5 s, registered at no more than
 * --ramp-rate grants per second) for --duration, in refresh and lease mode: false DEADs, the
 * monitor's cold start, RSS and CPU, and etcd's write load. Runs on the caller's thread.
 */
final class FleetBench {
  static final String GROUP = "fleet";
  private static final Logger log = LoggerFactory.getLogger(FleetBench.class);

  private final BenchContext ctx;
  private final FleetSettings settings;
  private final int runs;

  FleetBench(BenchContext ctx, FleetSettings settings, int runs) {
    this.ctx = ctx;
    this.settings = settings;
    this.runs = runs;
  }

  void run() throws Exception {
    for (int n : settings.sizes()) {
      for (HeartbeatMode mode : settings.modes()) {
        List<FleetRun> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
          log.info("fleet agents={} mode={} run={}/{} duration={}", n, mode.label(), run, runs,
              DurationConverter.format(settings.duration()));
          results.add(new FleetTrial(ctx, settings, n, mode, run).run());
        }
        new FleetReport(ctx.report(), GROUP, n, mode, settings).add(results);
        ctx.save();
      }
    }
  }
}
