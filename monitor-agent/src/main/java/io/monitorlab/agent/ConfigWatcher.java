package io.monitorlab.agent;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.monitorlab.common.Backoff;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.SessionLoop;
import io.monitorlab.common.WatchInbox;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code /monitor/config/<node>}: a session gets the key, then watches it from that
 * revision + 1, applying every change in revision order. A broken or compacted watch ends the
 * session; the next one gets the key again and catches up. One loop on one thread; jetcd callbacks
 * only enqueue.
 */
final class ConfigWatcher extends SessionLoop {
  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Client client;
  private final String key;
  private final ConfigApplier applier;

  ConfigWatcher(Client client, EtcdEndpoints endpoints, String key, ConfigApplier applier) {
    super("config watcher", Backoff.DEFAULT, endpoints, client);
    this.client = client;
    this.key = key;
    this.applier = applier;
  }

  @Override
  protected void runSession() throws Exception {
    ByteSequence k = EtcdClients.bytes(key);
    GetResponse got = client.getKVClient().get(k).get(EtcdClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    long revision = got.getHeader().getRevision();
    KeyValue kv = got.getKvs().isEmpty() ? null : got.getKvs().get(0);
    applier.catchUp(kv, revision);
    BlockingQueue<WatchInbox.Item> inbox = new LinkedBlockingQueue<>();
    WatchOption option = WatchOption.builder().withRevision(revision + 1).withRequireLeader(true).build();
    try (Watch.Watcher ignored = client.getWatchClient().watch(k, option, WatchInbox.into(inbox))) {
      log.info("watching config key={} from_revision={}", key, revision + 1);
      while (!isStopping()) {
        WatchInbox.Item item = inbox.take();
        if (item instanceof WatchInbox.Events events) {
          for (WatchEvent event : events.response().getEvents()) {
            applier.apply(event);
          }
        } else if (item instanceof WatchInbox.Compacted c) {
          log.info("config watch compacted key={} compact_revision={}; reading the key again", key, c.compactRevision());
          return;
        } else if (item instanceof WatchInbox.Failed f) {
          // Ends the watch at its first error: jetcd would retry a refused one (permission denied) forever.
          throw new IOException("config watch of " + key + " broke: " + EtcdErrors.describe(f.error()), f.error());
        } else {
          log.info("config watch closed key={}; reading the key again", key);
          return;
        }
      }
    }
  }

}
