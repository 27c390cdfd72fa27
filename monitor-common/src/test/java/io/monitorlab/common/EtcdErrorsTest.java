package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EtcdErrorsTest {
  private static Throwable grpc(Status.Code code, String message) {
    return new ExecutionException(Status.fromCode(code).withDescription(message).asRuntimeException());
  }

  @Test
  void outagesAreRetried() {
    assertThat(EtcdErrors.isTransient(grpc(Status.Code.UNAVAILABLE, "io exception"))).isTrue();
    assertThat(EtcdErrors.isTransient(grpc(Status.Code.DEADLINE_EXCEEDED, "deadline"))).isTrue();
    assertThat(EtcdErrors.isTransient(new CompletionException(Status.UNAVAILABLE.withDescription("etcdserver: no leader")
        .asException()))).isTrue();
    assertThat(EtcdErrors.isTransient(new TimeoutException())).isTrue();
  }

  @Test
  void refusalsAreNotRetried() {
    assertThat(EtcdErrors.isTransient(grpc(Status.Code.PERMISSION_DENIED, "etcdserver: permission denied"))).isFalse();
    assertThat(EtcdErrors.isTransient(grpc(Status.Code.UNAUTHENTICATED,
        "etcdserver: authentication failed, invalid user ID or password"))).isFalse();
    assertThat(EtcdErrors.isTransient(grpc(Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided"))).isFalse();
    assertThat(EtcdErrors.isTransient(new IllegalStateException("a bug"))).isFalse();
  }

  @Test
  void anExpiredAuthTokenIsRetriedForJetcdFetchesANewOne() {
    // etcd's --auth-token-ttl ran out between two calls; SecureSessionsIT runs 30 such lifetimes.
    assertThat(EtcdErrors.isTransient(grpc(Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token"))).isTrue();
  }

  @Test
  void aBrokenWatchIsJudgedByWhatBrokeIt() {
    assertThat(EtcdErrors.isTransient(new IOException("watch broke",
        Status.PERMISSION_DENIED.asRuntimeException()))).isFalse();
    assertThat(EtcdErrors.isTransient(new IOException("watch broke", Status.UNAVAILABLE.asRuntimeException()))).isTrue();
    assertThat(EtcdErrors.isTransient(new IOException("no answer from etcd for 3 s"))).isTrue();
  }

  @Test
  void aLostLeaseIsRetriedByTheLoopsThatGrantANewOne() {
    assertThat(EtcdErrors.isTransient(grpc(Status.Code.NOT_FOUND, "etcdserver: requested lease not found"))).isTrue();
    assertThat(EtcdErrors.codeOf(grpc(Status.Code.NOT_FOUND, "x"))).isEqualTo(Status.Code.NOT_FOUND);
  }
}
