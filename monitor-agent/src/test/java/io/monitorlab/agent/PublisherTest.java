package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The publisher alone against real etcd: which lease its puts go under, and that failed puts are retried. */
@Timeout(90)
class PublisherTest {
  @RegisterExtension final EtcdCluster etcd = EtcdCluster.single();
  private static final AtomicInteger ids = new AtomicInteger();

  private final String node = "publisher-" + ids.incrementAndGet() + "-" + ProcessHandle.current().pid();
  private Client client;
  private Publisher publisher;
  private Thread thread;

  @BeforeEach
  void start() {
    client = EtcdClients.connect(EtcdEndpoints.parse(etcd.endpoints(), "test"));
    publisher = new Publisher(client, node);
    thread = new Thread(publisher, "publish-test");
    thread.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    publisher.stop();
    thread.join(5000);
    assertThat(thread.isAlive()).isFalse();
    client.close();
  }

  private Optional<KeyValue> kv(String key) throws Exception {
    List<KeyValue> kvs = etcd.client().getKVClient().get(EtcdClients.bytes(key)).get(5, TimeUnit.SECONDS).getKvs();
    return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0));
  }

  private boolean holds(String key, String value, long lease) throws Exception {
    Optional<KeyValue> kv = kv(key);
    return kv.isPresent() && EtcdClients.text(kv.get().getValue()).equals(value) && kv.get().getLease() == lease;
  }

  private long grant() throws Exception {
    return etcd.client().getLeaseClient().grant(60).get(5, TimeUnit.SECONDS).getID();
  }

  @Test
  void nothingIsPutBeforeALeaseIsOfferedAndBothKeysFollowEachNewLease() throws Exception {
    publisher.offerStatus("{\"s\": 1}");
    publisher.offerMetrics("{\"m\": 1}");
    long first = grant();
    publisher.leaseChanged(first);
    await().atMost(Duration.ofSeconds(10)).until(() -> holds(Keys.status(node), "{\"s\": 1}", first)
        && holds(Keys.metrics(node), "{\"m\": 1}", first));

    long second = grant();
    publisher.leaseChanged(second);
    await().atMost(Duration.ofSeconds(10)).until(() -> holds(Keys.status(node), "{\"s\": 1}", second)
        && holds(Keys.metrics(node), "{\"m\": 1}", second));
    publisher.offerMetrics("{\"m\": 2}");
    await().atMost(Duration.ofSeconds(10)).until(() -> holds(Keys.metrics(node), "{\"m\": 2}", second));
  }

  @Test
  void aLeaseEtcdDoesNotKnowIsDroppedUntilTheNextOneIsOffered() throws Exception {
    publisher.offerMetrics("{\"m\": 1}");
    publisher.leaseChanged(0x7777_0000_1234L);
    long real = grant();
    publisher.leaseChanged(real);

    await().atMost(Duration.ofSeconds(10)).until(() -> holds(Keys.metrics(node), "{\"m\": 1}", real));
  }

  @Test
  void aPutThatFailedWhileEtcdWasDownIsRetriedWhenItIsBack() throws Exception {
    long lease = grant();
    publisher.leaseChanged(lease);
    publisher.offerMetrics("{\"m\": 1}");
    await().atMost(Duration.ofSeconds(10)).until(() -> holds(Keys.metrics(node), "{\"m\": 1}", lease));

    etcd.kill(0);
    publisher.offerMetrics("{\"m\": 2}");
    publisher.offerStatus("{\"s\": 2}");
    etcd.restart(0);

    // A restart keeps the lease (reset to its full TTL).
    await().atMost(Duration.ofSeconds(30)).until(() -> holds(Keys.metrics(node), "{\"m\": 2}", lease)
        && holds(Keys.status(node), "{\"s\": 2}", lease));
  }
}
