package io.monitorlab.server;

import static io.monitorlab.server.EtcdOps.alive;
import static io.monitorlab.server.EtcdOps.heartbeatKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.test.EtcdCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The monitor against a 3-member cluster whose members are killed, restarted and frozen. */
@Tag("fault")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MonitorFaultTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.of(3);

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  /** Longer than the 5 s lease TTL: a lease that was not kept alive would have expired by then. */
  private static final Duration LONGER_THAN_TTL = Duration.ofSeconds(7);

  private static String aliveLine(String node) {
    return "[+] Node " + node + " ALIVE -> " + alive(node);
  }

  private static String dead(String node) {
    return "[-] Node " + node + " DEAD (lease expired)";
  }

  private static Client clientFor(int... members) {
    String endpoints = IntStream.of(members).mapToObj(i -> etcd.member(i).endpoint()).collect(Collectors.joining(","));
    return EtcdClients.connect(EtcdEndpoints.parse(endpoints, "test"));
  }

  /** Asserts that no {@code [-]} line about {@code node} appears for the whole of {@code period}. */
  private static void assertNoDepartureDuring(MonitorRun run, String node, Duration period) {
    await().during(period).atMost(period.plusSeconds(2))
        .until(() -> run.lines().stream().noneMatch(l -> l.startsWith("[-] Node " + node + " ")));
  }

  /** The member whose watch stream the monitor uses (it is the only client here that watches). */
  private static int memberServingTheWatch() {
    AtomicInteger found = new AtomicInteger(-1);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      int[] watching = IntStream.range(0, 3).filter(i -> watchers(i) > 0).toArray();
      found.set(watching.length == 1 ? watching[0] : -1);
      return found.get() >= 0;
    });
    return found.get();
  }

  private static long watchers(int member) {
    if (!etcd.member(member).isRunning() || etcd.member(member).isPaused()) {
      return 0;
    }
    try {
      String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + etcd.member(member).endpoint() + "/metrics"))
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString()).body();
      return metrics.lines().filter(l -> l.startsWith("etcd_debugging_mvcc_watcher_total "))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  @Test
  void killingAFollowerThenTheLeaderPrintsNoDeathWhileTheLeaseIsKeptAlive() throws Exception {
    String node = "mf-kept";
    AtomicInteger keptAlive = new AtomicInteger();
    try (Client agent = clientFor(0, 1, 2);
        MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", "3600")) {
      EtcdOps ops = new EtcdOps(agent);
      long lease = ops.grant(5);
      ops.put(heartbeatKey(node), alive(node), lease);
      try (CloseableClient keepAlive = agent.getLeaseClient().keepAlive(lease, counting(keptAlive))) {
        run.awaitLine(aliveLine(node));
        // One of the two faults hits the member serving the monitor's watch: a follower if it is one.
        int watching = memberServingTheWatch();
        int leader = etcd.leaderIndex();
        int follower = watching != leader ? watching : (leader + 1) % 3;

        etcd.kill(follower);
        assertNoDepartureDuring(run, node, LONGER_THAN_TTL);
        etcd.restart(follower);

        etcd.kill(etcd.leaderIndex());
        assertNoDepartureDuring(run, node, LONGER_THAN_TTL);
        etcd.heal();

        assertThat(EtcdOps.retrying(() -> ops.get(heartbeatKey(node)))).as("the key outlived both faults").contains(alive(node));
        assertThat(keptAlive.get()).isPositive();
      }

      ops.revokeRetrying(lease);

      run.awaitLine(dead(node));
      assertThat(run.count(aliveLine(node))).isEqualTo(1);
      assertThat(run.count(dead(node))).isEqualTo(1);
    }
  }

  @Test
  void reportsADeathThroughAnotherMemberWhileTheMemberServingItsWatchHangs() throws Exception {
    String node = "mf-hung";
    try (Client agent = clientFor(0, 1, 2);
        MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", "3600")) {
      long lease = new EtcdOps(agent).beat(node, 60);
      run.awaitLine(aliveLine(node));
      int hung = memberServingTheWatch();
      int[] others = IntStream.range(0, 3).filter(i -> i != hung).toArray();

      etcd.pause(hung);
      try (Client operator = clientFor(others)) {
        EtcdOps ops = new EtcdOps(operator);
        // The hung member may be the leader: the revoke then waits for the others to elect a new one.
        ops.revokeRetrying(lease);

        // gRPC notices a hung connection after its keepalive (at least 10 s + 2 s here), then the monitor moves.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(run.lines()).contains(dead(node)));
        etcd.resume(hung);

        EtcdOps.retrying(() -> ops.beat("mf-hung-sentinel", 60));
        run.awaitLine(aliveLine("mf-hung-sentinel"));
      }
      assertThat(run.count(dead(node))).isEqualTo(1);
      assertThat(run.count(aliveLine(node))).isEqualTo(1);
    }
  }

  private static StreamObserver<LeaseKeepAliveResponse> counting(AtomicInteger replies) {
    return new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveResponse value) {
        replies.incrementAndGet();
      }

      @Override
      public void onError(Throwable t) {
        // transient: jetcd restarts the keepalive stream by itself
      }

      @Override
      public void onCompleted() {}
    };
  }
}
