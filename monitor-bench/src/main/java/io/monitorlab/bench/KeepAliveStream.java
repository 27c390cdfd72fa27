package io.monitorlab.bench;

import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.grpc.stub.StreamObserver;
import io.monitorlab.common.EtcdErrors;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived LeaseKeepAlive stream shared by a few simulated agents, opened again after it broke (at
 * most every 500 ms). etcd answers the requests of a stream one by one, in order, so each answer belongs
 * to the oldest request pending. Used on the {@link EtcdGrpc#loop()} thread only; not thread-safe.
 */
final class KeepAliveStream {
  /** What the stream reports, on the loop thread. */
  interface Listener {
    void answered(SimLease a, long sentAt, long ttlSeconds);

    void failed(SimLease a, long sentAt);
  }

  private record Pending(SimLease lease, long sentAt) {}

  private static final Logger log = LoggerFactory.getLogger(KeepAliveStream.class);
  private static final long REOPEN_AFTER = Duration.ofMillis(500).toNanos();

  private final EtcdGrpc grpc;
  private final int channel;
  private final Listener listener;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private StreamObserver<LeaseKeepAliveRequest> requests;
  private int generation;
  private long brokenAt;
  private int breaks;
  private boolean closed;

  KeepAliveStream(EtcdGrpc grpc, int channel, Listener listener) {
    this.grpc = grpc;
    this.channel = channel;
    this.listener = listener;
  }

  /** Sends one renewal of {@code a}; false when the stream is closed or broken and not yet due to reopen. */
  boolean send(SimLease a, long now) {
    if (closed || requests == null && brokenAt != 0 && now - brokenAt < REOPEN_AFTER) {
      return false;
    }
    if (requests == null) {
      open();
    }
    pending.add(new Pending(a, now));
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(a.id).build());
    return true;
  }

  int breaks() {
    return breaks;
  }

  private void open() {
    int gen = ++generation;
    requests = grpc.keepAlive(channel, new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveResponse r) {
        grpc.onLoop(() -> answered(gen, r));
      }

      @Override
      public void onError(Throwable t) {
        grpc.onLoop(() -> broken(gen, EtcdErrors.describe(t)));
      }

      @Override
      public void onCompleted() {
        grpc.onLoop(() -> broken(gen, "closed by etcd"));
      }
    });
  }

  private void answered(int gen, LeaseKeepAliveResponse r) {
    Pending p = gen == generation ? pending.poll() : null;
    if (p != null && p.lease().id == r.getID()) {
      listener.answered(p.lease(), p.sentAt(), r.getTTL());
    } else if (p != null) {
      log.warn("fleet keepalive answer out of order channel={} lease={} expected={}", channel, r.getID(), p.lease().id);
      listener.failed(p.lease(), p.sentAt());
    }
  }

  private void broken(int gen, String why) {
    if (gen != generation || closed) {
      return;
    }
    breaks++;
    brokenAt = System.nanoTime();
    requests = null;
    List<Pending> lost = new ArrayList<>(pending);
    pending.clear();
    lost.forEach(p -> listener.failed(p.lease(), p.sentAt()));
    log.warn("fleet keepalive stream broke channel={} breaks={} pending={} reason=\"{}\"; reopening", channel, breaks,
        lost.size(), why);
  }

  /** Half-closes the stream; later sends are refused. Idempotent. */
  void close() {
    closed = true;
    if (requests != null) {
      requests.onCompleted();
      requests = null;
    }
  }
}
