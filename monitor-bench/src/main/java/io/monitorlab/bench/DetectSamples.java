package io.monitorlab.bench;

import java.util.ArrayList;
import java.util.List;

/** The values the detect group collects over its runs. Owned by one thread; not thread-safe. */
final class DetectSamples {
  /** One kind of death: stop -> DEAD line, and etcd's DELETE event -> DEAD line. */
  static final class DeadTrials {
    final List<Double> toDead = new ArrayList<>();
    final List<Double> deleteToDead = new ArrayList<>();
    int missingDead;
    int missingDelete;
  }

  final DeadTrials real = new DeadTrials();
  final DeadTrials sim = new DeadTrials();
  final DeadTrials burst = new DeadTrials();
  final List<Double> termToLeft = new ArrayList<>();
  final List<Double> termToExit = new ArrayList<>();
  int missingLeft;
  int missingExit;
  int badExitCodes;
  int notAlive;
  long simLeasesLost;
}
