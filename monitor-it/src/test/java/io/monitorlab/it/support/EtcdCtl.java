package io.monitorlab.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/**
 * Operator actions with the real {@code etcdctl} (v3 API), each run to its end and required to
 * succeed; the runs are started through {@link Processes}, so their output shows when a test fails.
 * Immutable; thread-safe as far as {@link Processes} is.
 */
public final class EtcdCtl {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(20);

  private final Processes processes;
  private final String endpoints;

  public EtcdCtl(Processes processes, String endpoints) {
    this.processes = processes;
    this.endpoints = endpoints;
  }

  /** The same tool against other endpoints (e.g. only the leader, or only the members not frozen). */
  public EtcdCtl at(String otherEndpoints) {
    return new EtcdCtl(processes, otherEndpoints);
  }

  /** {@code etcdctl ARGS}, required to exit 0; returns the finished run. */
  public RunningProcess run(String... args) {
    RunningProcess p = processes.run("etcdctl-" + args[0], Command.etcdctl(endpoints, args), RUN_TIMEOUT);
    assertThat(p.exitCode()).as("etcdctl %s: exit code; stdout %s; stderr %s", String.join(" ", args),
        p.stdoutText(), p.stderrText()).isZero();
    return p;
  }

  /** {@code etcdctl lease revoke <hex id>}. */
  public void revokeLease(long leaseId) {
    run("lease", "revoke", Long.toHexString(leaseId));
  }

  /** {@code etcdctl del KEY}, required to delete exactly one key. */
  public void delete(String key) {
    assertThat(run("del", key).stdoutText()).as("etcdctl del %s deletes one key", key).containsExactly("1");
  }

  /** {@code etcdctl put KEY VALUE}. */
  public void put(String key, String value) {
    run("put", key, value);
  }

  /** {@code etcdctl compact REV}. */
  public void compact(long revision) {
    run("compact", String.valueOf(revision));
  }
}
