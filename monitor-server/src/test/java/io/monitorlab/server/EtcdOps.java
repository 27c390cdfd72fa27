package io.monitorlab.server;

import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Keys;
import io.monitorlab.common.EtcdErrors;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Short, blocking etcd calls for tests: what an agent or an operator does to the keys. */
final class EtcdOps {
  private static final long TIMEOUT_S = 10;

  private final Client client;

  EtcdOps(Client client) {
    this.client = client;
  }

  /** A heartbeat value as the lab's agent writes it. */
  static String alive(String node) {
    return "{\"status\": \"alive\", \"ts\": 1732400000.123456, \"hostname\": \"" + node + "\"}";
  }

  static String leaving(String node) {
    return "{\"status\": \"leaving\", \"ts\": 1732400009.5, \"hostname\": \"" + node + "\"}";
  }

  static String heartbeatKey(String node) {
    return Keys.HEARTBEAT_PREFIX + node;
  }

  long grant(long ttlSeconds) throws Exception {
    return client.getLeaseClient().grant(ttlSeconds).get(TIMEOUT_S, TimeUnit.SECONDS).getID();
  }

  /** Revokes {@code lease}; returns the revision of the deletion of its keys. */
  long revoke(long lease) throws Exception {
    return client.getLeaseClient().revoke(lease).get(TIMEOUT_S, TimeUnit.SECONDS).getHeader().getRevision();
  }

  /** Revokes through a fault: retried while etcd has no leader; a lease already gone counts as revoked. */
  void revokeRetrying(long lease) {
    retrying(() -> {
      try {
        revoke(lease);
      } catch (ExecutionException e) {
        if (!EtcdErrors.isLeaseNotFound(e)) {
          throw e;
        }
      }
      return lease;
    });
  }

  /**
   * Runs {@code call} until it succeeds, retrying outages (no leader, request timed out) for up to
   * 20 s: right after a fault the cluster may still be electing. A retried write may land twice.
   */
  static <T> T retrying(Callable<T> call) {
    AtomicReference<T> result = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsMatching(EtcdErrors::isTransient)
        .until(() -> {
          result.set(call.call());
          return true;
        });
    return result.get();
  }

  /** Puts {@code value} at {@code key} bound to {@code lease} (0: no lease); returns the revision. */
  long put(String key, String value, long lease) throws Exception {
    PutOption option = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
    return client.getKVClient().put(EtcdClients.bytes(key), EtcdClients.bytes(value), option)
        .get(TIMEOUT_S, TimeUnit.SECONDS).getHeader().getRevision();
  }

  /** A node's heartbeat key with a fresh lease of {@code ttlSeconds}; returns the lease. */
  long beat(String node, long ttlSeconds) throws Exception {
    long lease = grant(ttlSeconds);
    put(heartbeatKey(node), alive(node), lease);
    return lease;
  }

  void delete(String key) throws Exception {
    client.getKVClient().delete(EtcdClients.bytes(key)).get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  /** Deletes every key under {@code /monitor/}. */
  void clear() throws Exception {
    client.getKVClient().delete(EtcdClients.bytes(Keys.ROOT), DeleteOption.builder().isPrefix(true).build())
        .get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  Optional<String> get(String key) throws Exception {
    GetResponse got = client.getKVClient().get(EtcdClients.bytes(key)).get(TIMEOUT_S, TimeUnit.SECONDS);
    return got.getKvs().stream().findFirst().map(KeyValue::getValue).map(EtcdClients::text);
  }

  /** The store's current revision. */
  long revision() throws Exception {
    return client.getKVClient().get(EtcdClients.bytes(Keys.ROOT)).get(TIMEOUT_S, TimeUnit.SECONDS)
        .getHeader().getRevision();
  }

  /** Compacts history up to the current revision, as {@code etcdctl compact} does. */
  long compactAll() throws Exception {
    long rev = revision();
    client.getKVClient().compact(rev, CompactOption.builder().withCompactPhysical(true).build())
        .get(TIMEOUT_S, TimeUnit.SECONDS);
    return rev;
  }
}
