package io.monitorlab.bench;

import io.etcd.jetcd.Client;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts etcd's history the way etcd's periodic auto-compaction does: each {@link #tick()}
 * compacts to the revision seen at the previous tick. Without it a refresh-mode fleet of 10,000
 * agents (4,000 puts/s) fills etcd's 2 GB default quota within the hour. Called from one thread.
 */
final class Compactor {
  private static final Logger log = LoggerFactory.getLogger(Compactor.class);

  private final Client client;
  private final EtcdEndpoints endpoints;
  private long previous;
  private int done;

  Compactor(Client client, EtcdEndpoints endpoints) {
    this.client = client;
    this.endpoints = endpoints;
  }

  /** Compacts to the previous tick's revision; a failure is logged and never ends the bench. */
  void tick() throws InterruptedException {
    try {
      long now = EtcdClients.call(client.getKVClient().get(EtcdClients.bytes(Keys.ROOT)), endpoints).getHeader().getRevision();
      if (previous > 0) {
        EtcdClients.call(client.getKVClient().compact(previous), endpoints);
        done++;
      }
      previous = now;
    } catch (RuntimeException e) {
      // Typically "required revision has been compacted": a retried call or another compactor got there first.
      log.warn("compaction skipped revision={} error=\"{}\"", previous, EtcdErrors.describe(e));
    }
  }

  int compactions() {
    return done;
  }
}
