package io.monitorlab.it.support;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Agents simulated from the test with jetcd, for bursts of transitions faster and more exactly
 * timed than JVMs allow: each holds a lease and writes the heartbeat value the real agent writes.
 * {@link #close()} revokes every lease still held. Not thread-safe: use from the test thread.
 */
public final class SimulatedAgents implements AutoCloseable {
  private static final long CALL_SECONDS = 5;

  private final Client client;
  private final Map<String, Long> leases = new LinkedHashMap<>();
  private final List<Long> granted = new ArrayList<>();

  public SimulatedAgents(Client client) {
    this.client = client;
  }

  /** Grants a lease of {@code ttlSeconds} and writes an {@code "alive"} heartbeat with it. */
  public long register(String node, long ttlSeconds) {
    long lease = get(client.getLeaseClient().grant(ttlSeconds)).getID();
    granted.add(lease);
    leases.put(node, lease);
    refresh(node);
    return lease;
  }

  /** Several nodes on one new lease, so that revoking it deletes all their keys in one revision. */
  public long registerTogether(List<String> nodes, long ttlSeconds) {
    long lease = get(client.getLeaseClient().grant(ttlSeconds)).getID();
    granted.add(lease);
    for (String node : nodes) {
      leases.put(node, lease);
      refresh(node);
    }
    return lease;
  }

  /** Writes a fresh {@code "alive"} heartbeat with the node's lease. */
  public void refresh(String node) {
    put(node, Heartbeat.alive(node, Instant.now()).toJson());
  }

  /** A graceful stop as the agent does it: a {@code "leaving"} heartbeat, then the lease revoked. */
  public void leave(String node) {
    put(node, Heartbeat.leaving(node, Instant.now()).toJson());
    revoke(node);
  }

  /** A death: the lease is revoked, as when it expires, and etcd deletes the key. */
  public void crash(String node) {
    revoke(node);
  }

  /** An operator deleting the key by hand (the lease stays until {@link #close()}). */
  public void deleteKey(String node) {
    get(client.getKVClient().delete(bytes(Keys.heartbeat(node))));
  }

  /** The lease the node's heartbeat was last written with. */
  public long lease(String node) {
    return leases.get(node);
  }

  /** Revokes the node's lease (and the keys of every node sharing it). */
  public void revoke(String node) {
    long lease = leases.get(node);
    get(client.getLeaseClient().revoke(lease));
    granted.remove(lease);
    leases.values().removeIf(l -> l == lease);
  }

  private void put(String node, String value) {
    get(client.getKVClient().put(bytes(Keys.heartbeat(node)), bytes(value),
        PutOption.builder().withLeaseId(leases.get(node)).build()));
  }

  @Override
  public void close() {
    for (long lease : List.copyOf(granted)) {
      try {
        client.getLeaseClient().revoke(lease).get(CALL_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // already expired or revoked
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    granted.clear();
  }

  private static <T> T get(CompletableFuture<T> f) {
    try {
      return f.get(CALL_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("etcd call of a simulated agent failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
