package io.monitorlab.bench;

import java.util.concurrent.atomic.AtomicLong;

/** What went wrong while simulated agents kept their heartbeats. Thread-safe. */
final class SimCounters {
  /** Leases etcd reported gone although their agent was never dropped. */
  final AtomicLong lost = new AtomicLong();
  /** Heartbeat puts that failed or timed out. */
  final AtomicLong putFailures = new AtomicLong();
  /** Keepalive errors other than "lease not found" (jetcd restarts its stream by itself). */
  final AtomicLong renewFailures = new AtomicLong();
}
