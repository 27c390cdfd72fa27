package io.monitorlab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detect group: kill -9 of real agents and connection drops of simulated agents -> the monitor's
 * DEAD line; etcd's DELETE event -> DEAD line (the monitor's own overhead), for independent deaths
 * and for a mass expiry; SIGTERM of real agents -> LEFT line. One monitor per run; runs on the
 * caller's thread.
 */
final class DetectBench {
  static final String GROUP = "detect";
  private static final Logger log = LoggerFactory.getLogger(DetectBench.class);
  private static final Duration TTL = Duration.ofSeconds(5);
  private static final Duration WATCH_TIMEOUT = Duration.ofSeconds(10);

  private final BenchContext ctx;
  private final DetectSettings settings;
  private final int runs;
  private final DetectSamples samples = new DetectSamples();

  DetectBench(BenchContext ctx, DetectSettings settings, int runs) {
    this.ctx = ctx;
    this.settings = settings;
    this.runs = runs;
  }

  void run() throws Exception {
    for (int run = 1; run <= runs; run++) {
      try (KeyEvents keys = KeyEvents.start(ctx.endpoints(), WATCH_TIMEOUT);
          Child monitor = ctx.startReadyMonitor("monitor-detect-r" + run)) {
        realAgents(run, monitor, keys);
        simulatedAgents(run, monitor, keys);
        monitor.terminate();
        monitor.awaitExit(Duration.ofSeconds(5));
      }
    }
    new DetectReport(ctx, settings, samples).add();
  }

  private void realAgents(int run, Child monitor, KeyEvents keys) throws Exception {
    List<RealWave.Stop> stops = new ArrayList<>();
    stops.addAll(Collections.nCopies(settings.realKills(), RealWave.Stop.KILL));
    stops.addAll(Collections.nCopies(settings.terms(), RealWave.Stop.TERM));
    Collections.shuffle(stops);
    for (int w = 0; w * settings.wave() < stops.size(); w++) {
      int first = w * settings.wave();
      List<RealWave.Stop> wave = stops.subList(first, Math.min(stops.size(), first + settings.wave()));
      List<String> nodes = new ArrayList<>();
      for (int i = 0; i < wave.size(); i++) {
        nodes.add(ctx.node("r" + run + "-a" + (first + i)));
      }
      log.info("detect run={}/{} real agents wave={} kill={} term={}", run, runs, w + 1,
          Collections.frequency(wave, RealWave.Stop.KILL), Collections.frequency(wave, RealWave.Stop.TERM));
      new RealWave(ctx, monitor, keys, samples).run(nodes, wave);
    }
  }

  private void simulatedAgents(int run, Child monitor, KeyEvents keys) throws InterruptedException {
    SimSettings sim = new SimSettings(TTL, HeartbeatMode.REFRESH, Duration.ofSeconds(60));
    try (SimFleet fleet = new SimFleet(ctx.endpoints(), sim)) {
      for (int first = 0; first < settings.simDrops(); first += settings.batch()) {
        List<String> nodes = nodes(run + "-s", first, Math.min(settings.simDrops(), first + settings.batch()));
        log.info("detect run={}/{} simulated agents first={} agents={}", run, runs, first, nodes.size());
        new SimBatch(monitor, keys, fleet, samples).spread(nodes);
      }
      if (settings.burst() > 0) {
        log.info("detect run={}/{} mass expiry agents={}", run, runs, settings.burst());
        new SimBatch(monitor, keys, fleet, samples).burst(nodes(run + "-m", 0, settings.burst()));
      }
      samples.simLeasesLost += fleet.lost();
    }
  }

  private List<String> nodes(String infix, int from, int to) {
    List<String> nodes = new ArrayList<>();
    for (int i = from; i < to; i++) {
      nodes.add(ctx.node("r" + infix + i));
    }
    return nodes;
  }
}
