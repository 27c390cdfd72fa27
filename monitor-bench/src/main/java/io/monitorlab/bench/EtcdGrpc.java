package io.monitorlab.bench;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * etcd's Lease and KV services through plain gRPC stubs, one channel per endpoint, all on one Netty
 * event-loop thread: responses are delivered on {@link #loop()} (direct executor), so state touched only
 * there needs no lock. Not jetcd's client: its streaming keepalive runs on its own timer (every TTL/3, with
 * deadlines that drop leases whose answers are late), and with it the bench ran ~280 threads at 10,000
 * agents. Thread-safe.
 */
final class EtcdGrpc implements AutoCloseable {
  private static final long CALL_MS = EtcdClients.CALL_TIMEOUT.toMillis();
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

  private final EventLoopGroup group;
  private final EventLoop loop;
  private final List<ManagedChannel> channels;
  private final List<LeaseGrpc.LeaseStub> leases;
  private final List<KVGrpc.KVStub> kvs;

  EtcdGrpc(EtcdEndpoints endpoints, String threadName) {
    this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), NioIoHandler.newFactory());
    this.loop = group.next();
    this.channels = endpoints.uris().stream().map(this::channel).toList();
    this.leases = channels.stream().map(LeaseGrpc::newStub).toList();
    this.kvs = channels.stream().map(KVGrpc::newStub).toList();
  }

  private ManagedChannel channel(URI member) {
    return NettyChannelBuilder.forAddress(member.getHost(), member.getPort())
        .eventLoopGroup(group)
        .channelType(NioSocketChannel.class)
        .directExecutor()
        .usePlaintext()
        // No transparent retries: they buffer every call (CPU for nothing here) and would hide etcd's answers.
        .disableRetry()
        // etcd refuses pings more often than every 5 s (--grpc-keepalive-min-time).
        .keepAliveTime(5, TimeUnit.SECONDS)
        .keepAliveTimeout(2, TimeUnit.SECONDS)
        .build();
  }

  /** How many channels (endpoints) there are; channel {@code i} talks to endpoint {@code i}. */
  int channels() {
    return channels.size();
  }

  /** The one thread every response arrives on. */
  EventLoop loop() {
    return loop;
  }

  /** Runs {@code r} on {@link #loop()}: at once when already there, else queued. */
  void onLoop(Runnable r) {
    if (loop.inEventLoop()) {
      r.run();
    } else {
      loop.execute(r);
    }
  }

  CompletableFuture<LeaseGrantResponse> grant(int channel, long ttlSeconds) {
    LeaseGrantRequest req = LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build();
    return unary(o -> leases.get(channel).withDeadlineAfter(CALL_MS, TimeUnit.MILLISECONDS).leaseGrant(req, o));
  }

  CompletableFuture<LeaseRevokeResponse> revoke(int channel, long leaseId) {
    LeaseRevokeRequest req = LeaseRevokeRequest.newBuilder().setID(leaseId).build();
    return unary(o -> leases.get(channel).withDeadlineAfter(CALL_MS, TimeUnit.MILLISECONDS).leaseRevoke(req, o));
  }

  CompletableFuture<PutResponse> put(int channel, PutRequest req) {
    return unary(o -> kvs.get(channel).withDeadlineAfter(CALL_MS, TimeUnit.MILLISECONDS).put(req, o));
  }

  /** Opens a keepalive stream: each request renews one lease once and gets one answer, in order. */
  StreamObserver<LeaseKeepAliveRequest> keepAlive(int channel, StreamObserver<LeaseKeepAliveResponse> answers) {
    return leases.get(channel).leaseKeepAlive(answers);
  }

  /**
   * Renews a lease once, as jetcd's {@code keepAliveOnce} (and so monitor-agent) does: a keepalive stream of its
   * own, one request, the first answer. etcd answers the requests of one stream one after the other and holds back
   * the renewal of a lease it found expired until that lease is revoked, so a renewal on a shared stream could
   * delay many others. TTL 0 in the answer: the lease is gone.
   */
  CompletableFuture<LeaseKeepAliveResponse> keepAliveOnce(int channel, long leaseId, Duration deadline) {
    CompletableFuture<LeaseKeepAliveResponse> f = new CompletableFuture<>();
    StreamObserver<LeaseKeepAliveRequest> requests = leases.get(channel)
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
        .leaseKeepAlive(observer(f));
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
    requests.onCompleted();
    return f;
  }

  private static <R> CompletableFuture<R> unary(Consumer<StreamObserver<R>> start) {
    CompletableFuture<R> f = new CompletableFuture<>();
    start.accept(observer(f));
    return f;
  }

  /** Completes {@code f} with the first answer (later ones are ignored), or with the call's error. */
  private static <R> StreamObserver<R> observer(CompletableFuture<R> f) {
    return new StreamObserver<>() {
      @Override
      public void onNext(R r) {
        f.complete(r);
      }

      @Override
      public void onError(Throwable t) {
        f.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        f.completeExceptionally(new IllegalStateException("etcd closed the call without an answer"));
      }
    };
  }

  /** Closes the channels (calls in flight fail) and stops the thread, each bounded in time. Idempotent. */
  @Override
  public void close() throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel c : channels) {
      c.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    group.shutdownGracefully(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS).await(CLOSE_WAIT.toMillis() * 2);
  }
}
