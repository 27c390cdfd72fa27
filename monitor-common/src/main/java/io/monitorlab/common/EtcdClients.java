package io.monitorlab.common;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.monitorlab.common.tls.TlsWarmUp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Builds jetcd clients tuned to notice a dead member well within a heartbeat TTL. Thread-safe. */
public final class EtcdClients {
  /** Bound for one unary call (get, put, grant, revoke). */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

  /** The largest answer a client takes. */
  static final int MAX_ANSWER_BYTES = 256 * 1024 * 1024;

  private EtcdClients() {}

  /** A client for all the endpoints; it balances over them and moves away from a dead one. */
  public static Client connect(EtcdEndpoints endpoints) {
    TlsWarmUp.await();
    GrpcEventLoops.markUsed();
    ClientBuilder b = Client.builder();
    EtcdSecurity security = endpoints.security();
    if (security.tls()) {
      // Never .authority(): with several endpoints every request would then go to one member.
      b.sslContext(security.tlsMaterial().sslContext());
    }
    if (security.user() != null) {
      b.user(bytes(security.user())).password(bytes(security.password()));
    }
    return b
        .interceptor(new DeniedRequests())
        .endpoints(endpoints.uris())
        .loadBalancerPolicy("round_robin")
        .connectTimeout(Duration.ofSeconds(2))
        // etcd refuses pings more often than every 5 s (--grpc-keepalive-min-time) unless told otherwise.
        .keepaliveTime(Duration.ofSeconds(5))
        .keepaliveTimeout(Duration.ofSeconds(2))
        .keepaliveWithoutCalls(false)
        .retryMaxDuration(Duration.ofSeconds(2))
        .waitForReady(false)
        // gRPC refuses answers over 4 MiB by default; the monitor's listing of a fleet of 10,000 nodes with
        // their metrics and statuses is larger than that (etcd itself sends up to --max-request-bytes per key).
        .maxInboundMessageSize(MAX_ANSWER_BYTES)
        .build();
  }

  /**
   * Waits for a one-shot call at most {@link #CALL_TIMEOUT}; an outage becomes an
   * {@link EtcdUnreachableException} naming the endpoints.
   */
  public static <T> T call(CompletableFuture<T> future, EtcdEndpoints endpoints) throws InterruptedException {
    try {
      return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      String access = AccessErrors.describe(e, endpoints);
      if (access != null) {
        throw new EtcdAccessException(access, e);
      }
      if (EtcdErrors.isTransient(e)) {
        throw new EtcdUnreachableException(endpoints, e);
      }
      throw new IllegalStateException("etcd call failed: " + EtcdErrors.describe(e), e);
    }
  }

  public static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  public static String text(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }
}
