package io.monitorlab.bench;

/**
 * The detect group's trial counts, per run. Immutable.
 *
 * @param realKills real agents killed with SIGKILL
 * @param simDrops simulated agents that stop renewing
 * @param terms real agents stopped with SIGTERM
 * @param wave real agents running at once
 * @param batch simulated agents per batch
 * @param burst simulated agents dropped at once, to see a mass expiry (0: none)
 */
record DetectSettings(int realKills, int simDrops, int terms, int wave, int batch, int burst) {
  DetectSettings {
    Check.range("--real-kills", realKills, 0, 1000);
    Check.range("--sim-drops", simDrops, 0, 100_000);
    Check.range("--terms", terms, 0, 1000);
    Check.range("--wave", wave, 1, 50);
    Check.range("--batch", batch, 1, 5000);
    Check.range("--burst", burst, 0, 5000);
    if (realKills + simDrops + terms + burst == 0) {
      throw new IllegalArgumentException("--real-kills, --sim-drops, --terms and --burst are all 0: nothing to measure");
    }
  }
}
