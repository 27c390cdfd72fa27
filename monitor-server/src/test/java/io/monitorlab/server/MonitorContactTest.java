package io.monitorlab.server;

import static io.monitorlab.server.EtcdOps.alive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.monitorlab.common.test.EtcdCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When the monitor cannot see etcd it says so and reports nodes UNKNOWN, never DEAD. */
@Tag("fault")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MonitorContactTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  private EtcdOps ops;

  @BeforeEach
  void clearKeys() throws Exception {
    ops = new EtcdOps(etcd.client());
    ops.clear();
  }

  private static List<String> transitions(List<String> lines) {
    return lines.stream().filter(l -> l.startsWith("[+]") || l.startsWith("[-]")).toList();
  }

  @Test
  void saysItCannotSeeTheClusterWhenCutOffAndReportsOnlyRealChangesAfterwards() throws Exception {
    long gone = ops.beat("ct-gone", 60);
    ops.beat("ct-kept", 60);
    try (TcpProxy proxy = new TcpProxy(etcd.member(0).clientPort());
        MonitorRun run = MonitorRun.start("--endpoints", proxy.endpoint(), "--status-every", "1")) {
      run.awaitLine("[Status] Total alive: 2");
      int before = run.lines().size();

      proxy.cut();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(run.linesFrom(before))
          .anySatisfy(l -> assertThat(l).startsWith("[Monitor] Lost contact with etcd (")
              .endsWith("): cannot see the cluster; 2 nodes now UNKNOWN: ['ct-gone', 'ct-kept']")));
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(run.linesFrom(before))
          .anySatisfy(l -> assertThat(l).matches("\\[Status] Cannot see the etcd cluster for \\d+\\.\\d s; nodes UNKNOWN: \\['ct-gone', 'ct-kept']")));
      ops.revoke(gone);
      assertThat(transitions(run.linesFrom(before))).as("nothing is DEAD while the monitor is blind").isEmpty();

      proxy.restore();
      run.awaitLine("[-] Node ct-gone DEAD (lease expired)");
      assertThat(run.linesFrom(before)).anySatisfy(l -> assertThat(l)
          .matches("\\[Monitor] Contact with etcd restored after \\d+\\.\\d s; reporting what changed meanwhile"));
      ops.beat("ct-sentinel", 60);
      run.awaitLine("[+] Node ct-sentinel ALIVE -> " + alive("ct-sentinel"));
      assertThat(transitions(run.linesFrom(before))).containsExactly(
          "[-] Node ct-gone DEAD (lease expired)", "[+] Node ct-sentinel ALIVE -> " + alive("ct-sentinel"));
    }
  }

  @Test
  void aFrozenMemberIsNoticedAndNobodyIsReportedDead() throws Exception {
    ops.beat("ct-frozen", 60);
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", "3600")) {
      run.awaitLine("[Status] Total alive: 1");
      int before = run.lines().size();
      long paused = System.nanoTime();
      etcd.pause(0);
      try {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(run.linesFrom(before))
            .anySatisfy(l -> assertThat(l).startsWith("[Monitor] Lost contact with etcd (")
                .endsWith("1 nodes now UNKNOWN: ['ct-frozen']")));
        System.out.printf("frozen member -> lost contact line after %d ms%n", (System.nanoTime() - paused) / 1_000_000);
      } finally {
        etcd.resume(0);
      }
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(run.linesFrom(before))
          .anySatisfy(l -> assertThat(l).startsWith("[Monitor] Contact with etcd restored after ")));
      assertThat(transitions(run.linesFrom(before))).isEmpty();
    }
  }
}
