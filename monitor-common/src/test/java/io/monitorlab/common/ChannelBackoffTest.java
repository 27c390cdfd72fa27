package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.monitorlab.common.test.EtcdCluster;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class ChannelBackoffTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  private static final ByteSequence KEY = EtcdClients.bytes("/channel-backoff-test");

  @Test
  void theChannelOfAJetcdClientIsReachable() {
    try (Client client = EtcdClients.connect(EtcdEndpoints.parse(etcd.endpoints(), "test"))) {
      assertThat(ChannelBackoff.supported(client)).isTrue();
    }
  }

  @Test
  void aClientUsesAMemberThatCameBackAtOnceInsteadOfAfterGrpcsGrowingBackoff() throws Exception {
    try (Client client = EtcdClients.connect(EtcdEndpoints.parse(etcd.endpoints(), "test"))) {
      client.getKVClient().put(KEY, EtcdClients.bytes("v")).get(3, TimeUnit.SECONDS);
      long killed = System.nanoTime();
      etcd.kill(0);
      // Ten seconds away: gRPC has by then retried after about 1, 2.6, 5.2 and 9.4 s and waits until
      // about 16 s (+-20 %) before its next try.
      while (System.nanoTime() - killed < Duration.ofSeconds(10).toNanos()) {
        assertThatThrownBy(() -> get(client, Duration.ofMillis(500))).as("etcd is down").isNotNull();
      }
      etcd.heal();

      ChannelBackoff.reset(client);
      long reset = System.nanoTime();
      assertThat(get(client, Duration.ofSeconds(3))).isEqualTo("v");
      assertThat(Duration.ofNanos(System.nanoTime() - reset)).as("reset -> answer").isLessThan(Duration.ofMillis(1500));
    }
  }

  @Test
  void resettingAnIdleOrHealthyClientChangesNothing() throws Exception {
    try (Client client = EtcdClients.connect(EtcdEndpoints.parse(etcd.endpoints(), "test"))) {
      ChannelBackoff.reset(client);
      client.getKVClient().put(KEY, EtcdClients.bytes("w")).get(3, TimeUnit.SECONDS);
      ChannelBackoff.reset(client);
      assertThat(get(client, Duration.ofSeconds(3))).isEqualTo("w");
    }
  }

  private static String get(Client client, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
    return EtcdClients.text(client.getKVClient().get(KEY).get(timeout.toMillis(), TimeUnit.MILLISECONDS).getKvs().get(0).getValue());
  }
}
