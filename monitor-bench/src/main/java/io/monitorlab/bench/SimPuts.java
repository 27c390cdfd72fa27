package io.monitorlab.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.PutRequest;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Heartbeat;
import java.time.Instant;
import java.util.function.Function;

/**
 * One kind of value put of a {@link FleetSim} (the heartbeat value exactly as monitor-agent writes it, or the
 * metrics value), with the agent's lease, at most {@value #IN_FLIGHT} in flight (beyond that a put is skipped and counted, so a
 * slow etcd cannot pile work up in the bench). A put refused for "lease not found" marks the lease lost.
 * Used on the sim's loop thread only; not thread-safe.
 */
final class SimPuts {
  static final int IN_FLIGHT = 1024;

  private final EtcdGrpc grpc;
  private final SimRenewals renewals;
  private final Function<SimLease, PutRequest> value;
  private int inFlight;
  private long sent;
  private long failures;
  private long skipped;

  /** Puts of {@code value(agent)}; {@link #value} is the heartbeat's. */
  SimPuts(EtcdGrpc grpc, SimRenewals renewals, Function<SimLease, PutRequest> value) {
    this.grpc = grpc;
    this.renewals = renewals;
    this.value = value;
  }

  void put(SimLease a) {
    if (inFlight >= IN_FLIGHT) {
      skipped++;
      return;
    }
    inFlight++;
    sent++;
    grpc.put(a.channel, value.apply(a)).whenComplete((r, e) -> grpc.onLoop(() -> {
      inFlight--;
      if (e == null) {
        return;
      }
      if (EtcdErrors.isLeaseNotFound(e)) {
        renewals.lost(a);
      } else {
        failures++;
      }
    }));
  }

  /** The heartbeat value, as monitor-agent writes it. */
  static PutRequest value(SimLease a) {
    return PutRequest.newBuilder()
        .setKey(a.key)
        .setValue(ByteString.copyFromUtf8(Heartbeat.alive(a.node, Instant.now()).toJson()))
        .setLease(a.id)
        .build();
  }

  long sent() {
    return sent;
  }

  long failures() {
    return failures;
  }

  long skipped() {
    return skipped;
  }
}
