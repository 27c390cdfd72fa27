package io.monitorlab.bench;

/** How a simulated agent keeps its heartbeat key. */
enum HeartbeatMode {
  /** As the lab and monitor-agent do: renew the lease and put a fresh value every TTL/2. */
  REFRESH,
  /** Keep the lease alive only; rewrite the value rarely (every {@code --value-every}). */
  LEASE;

  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
