package io.monitorlab.bench;

/**
 * The config group's trial counts, per run. Immutable.
 *
 * @param updates config puts timed to the agent's UPDATED line
 * @param intervalTrials switches from a 30 s to a 2 s interval timed to the first 2 s iteration
 */
record ConfigSettings(int updates, int intervalTrials) {
  ConfigSettings {
    Check.range("--updates", updates, 0, 10_000);
    Check.range("--interval-trials", intervalTrials, 0, 1000);
    if (updates + intervalTrials == 0) {
      throw new IllegalArgumentException("--updates and --interval-trials are both 0: nothing to measure");
    }
  }
}
