package io.monitorlab.bench;

import com.google.protobuf.ByteString;
import io.monitorlab.common.Keys;
import java.nio.charset.StandardCharsets;

/**
 * One simulated agent of a {@link FleetSim}: its key, lease and renewal bookkeeping. Confined to the
 * sim's loop thread after registration; not thread-safe.
 */
final class SimLease {
  final String node;
  final ByteString key;
  final int channel;
  /** The keepalive stream it renews on (stream renewal), set when it starts renewing. */
  int stream;
  final long id;
  final long ttlNanos;
  /** The renewal period: half the TTL etcd granted, as monitor-agent renews. */
  final long every;
  /** When the next renewal is due (System.nanoTime()). */
  long due;
  /** Lease mode: when the value is next rewritten. */
  long valueDue;
  /** When the metrics value is next put (agents with metrics only). */
  long metricsDue;
  /** Whether its status value was put (with its first metrics value). */
  boolean statusPut;
  /** Send time of the renewal not answered yet (it identifies it); 0 when none is pending. */
  long pendingSince;
  /** Send time of the latest answered renewal (first: of the grant): etcd renewed the lease no earlier. */
  long renewedAfter;
  boolean lost;
  boolean atRisk;

  SimLease(String node, int channel, long id, long ttlSeconds, long grantSentNanos) {
    this.node = node;
    this.key = ByteString.copyFrom(Keys.heartbeat(node), StandardCharsets.UTF_8);
    this.channel = channel;
    this.id = id;
    this.ttlNanos = ttlSeconds * 1_000_000_000L;
    this.every = ttlNanos / 2;
    this.due = grantSentNanos + every;
    this.renewedAfter = grantSentNanos;
  }
}
