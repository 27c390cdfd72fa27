package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.monitorlab.common.ChannelBackoff;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.test.EtcdCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Renewal against a 3-member etcd with one member frozen (SIGSTOP): the frozen member holds requests
 * without failing them, and the client's round-robin keeps sending it every third one. A renewal that
 * waited each try out spent a second or more there; the TTL is 5 s and a renewal is due every 2.5 s.
 */
@Tag("fault")
@Timeout(60)
class LeaseRenewerTest {
  @RegisterExtension final EtcdCluster etcd = EtcdCluster.of(3);

  @Test
  void everyRenewalIsAnsweredWithinAboutOneHedgeWhileAFollowerIsFrozen() throws Exception {
    try (Client client = EtcdClients.connect(EtcdEndpoints.parse(etcd.endpoints(), "test"))) {
      long id = client.getLeaseClient().grant(5).get(5, TimeUnit.SECONDS).getID();
      LeaseRenewer renewer = new LeaseRenewer(client.getLeaseClient(), "renewer-test", () -> false, () -> ChannelBackoff.reset(client));
      // Every member has answered once, so round-robin has all three connections ready.
      for (int i = 0; i < 3; i++) {
        assertThat(renewer.renew(id)).isNull();
      }
      int frozen = (etcd.leaderIndex() + 1) % 3;
      etcd.pause(frozen);
      List<Long> millis = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        long t0 = System.nanoTime();
        assertThat(renewer.renew(id)).as("renewal %d with m%d frozen", i, frozen).isNull();
        millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
      }
      System.out.println("[renewal ms with m" + frozen + " frozen] " + millis);
      // Nine renewals in a row pick the frozen member about three times; each must get past it after one hedge.
      assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(LeaseRenewer.HEDGE.plus(Duration.ofMillis(450)).toMillis()));
      // Asked once the member is back: a unary call may itself be sent to the frozen member and hang there.
      etcd.resume(frozen);
      assertThat(client.getLeaseClient().timeToLive(id, io.etcd.jetcd.options.LeaseOption.DEFAULT).get(10, TimeUnit.SECONDS).getTTL())
          .as("the lease lives").isPositive();
    }
  }

  @Test
  void aLeaseGoneOnTheServerIsReportedAsSuch() throws Exception {
    try (Client client = EtcdClients.connect(EtcdEndpoints.parse(etcd.endpoints(), "test"))) {
      long id = client.getLeaseClient().grant(5).get(5, TimeUnit.SECONDS).getID();
      client.getLeaseClient().revoke(id).get(5, TimeUnit.SECONDS);
      LeaseRenewer renewer = new LeaseRenewer(client.getLeaseClient(), "renewer-test", () -> false, () -> { });
      assertThat(renewer.renew(id)).isEqualTo("expired or revoked");
    }
  }
}
