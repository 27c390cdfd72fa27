package io.monitorlab.server.fleet;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.monitorlab.common.Backoff;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Keys;
import io.monitorlab.common.SessionLoop;
import io.monitorlab.common.WatchInbox;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's one loop: follows everything under {@code /monitor/} that describes nodes and hands it
 * to the {@link Fleet} model; what the model reports goes to {@code out} (which must not block). The
 * first session lists and watches from that revision + 1; a later session resumes from the last
 * revision seen, and lists again only when that revision was compacted. A watch quiet for a second is
 * asked for progress, and again each second it stays quiet, so that a dead or frozen member is told from
 * silence (a busy watch needs no asking: its events are the answers); the model is ticked
 * whenever it asks ({@link Fleet#nextDeadline}: a held deletion, the once-a-second stale check) or the
 * watch is quiet. Runs on one thread; jetcd callbacks only enqueue.
 */
public final class FleetWatch extends SessionLoop {
  private static final Logger log = LoggerFactory.getLogger(FleetWatch.class);
  private static final ByteSequence ROOT = EtcdClients.bytes(Keys.ROOT);
  /** Silence after which the monitor says it cannot see the cluster (nodes become UNKNOWN, not DEAD). */
  public static final Duration LOST_AFTER = Duration.ofSeconds(3);
  /** How long a deletion that cannot be a lease expiry waits for the node to write its key again. */
  public static final Duration REVOKE_GRACE = Duration.ofSeconds(1);
  /** After how much silence (and then how often) a quiet watch is asked for a progress notification. */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  private final Client client;
  private final Fleet fleet = new Fleet(REVOKE_GRACE, LOST_AFTER, System.nanoTime());
  private final Consumer<List<FleetEvent>> out;
  /** Last revision whose events were applied; 0 when the next session must list. */
  private long revision;

  public FleetWatch(Client client, EtcdEndpoints endpoints, Consumer<List<FleetEvent>> out) {
    super("fleet watch", Backoff.DEFAULT, endpoints, client);
    this.client = client;
    this.out = out;
  }

  @Override
  protected void runSession() throws Exception {
    silence("no answer from etcd");
    if (revision == 0) {
      list();
    }
    BlockingQueue<WatchInbox.Item> inbox = new LinkedBlockingQueue<>();
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision + 1).withRequireLeader(true).build();
    try (Watch.Watcher ignored = client.getWatchClient().watch(ROOT, option, WatchInbox.into(inbox))) {
      log.info("watching prefix={} from_revision={}", Keys.ROOT, revision + 1);
      long started = System.nanoTime();
      long nextProgress = started + PROGRESS_EVERY.toNanos();
      while (!isStopping()) {
        long now = System.nanoTime();
        if (now - nextProgress >= 0) {
          if (now - started > LOST_AFTER.toNanos() && silence("no answer from the etcd member serving the watch")) {
            // A frozen or cut-off member keeps the stream open but silent: start over, likely elsewhere.
            throw new IOException("no answer from etcd for " + LOST_AFTER.toSeconds() + " s");
          }
          client.getWatchClient().requestProgress();
          nextProgress = now + PROGRESS_EVERY.toNanos();
        }
        long wait = Math.min(nextProgress, fleet.nextDeadline().orElse(Long.MAX_VALUE)) - now;
        WatchInbox.Item item = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : null;
        if (item == null) {
          out.accept(fleet.onTick(System.nanoTime(), wallSeconds()));
        } else if (item instanceof WatchInbox.Events events) {
          long heard = System.nanoTime();
          out.accept(fleet.onWatch(keyEvents(events.response().getEvents()), heard, wallSeconds()));
          // The member answers: no progress request is needed before another second of silence.
          nextProgress = heard + PROGRESS_EVERY.toNanos();
        } else if (item instanceof WatchInbox.Compacted c) {
          log.warn("watch history compacted revision={} compact_revision={}; listing again", revision, c.compactRevision());
          revision = 0;
          return;
        } else if (item instanceof WatchInbox.Failed f) {
          throw new IOException("fleet watch broke: " + EtcdErrors.describe(f.error()), f.error());
        } else {
          log.info("fleet watch closed revision={}; resuming", revision);
          return;
        }
      }
    }
  }

  private List<KeyEvent> keyEvents(List<WatchEvent> events) {
    List<KeyEvent> keys = new ArrayList<>(events.size());
    for (WatchEvent event : events) {
      KeyValue kv = event.getKeyValue();
      // Events of one revision (e.g. a lease expiry deleting several keys) share it: no filter on equality.
      revision = Math.max(revision, kv.getModRevision());
      String key = EtcdClients.text(kv.getKey());
      if (Listings.followed(key)) {
        keys.add(event.getEventType() == WatchEvent.EventType.DELETE ? KeyEvent.delete(key, kv.getModRevision())
            : KeyEvent.put(key, EtcdClients.text(kv.getValue()), kv.getModRevision()));
      }
    }
    return keys;
  }

  private void list() throws Exception {
    Listing listing = Listings.read(client).get(EtcdClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    revision = listing.revision();
    log.info("listed keys={} revision={}", listing.keys().size(), revision);
    out.accept(fleet.onListing(listing, System.nanoTime(), wallSeconds()));
  }

  /** Reports the loss of contact once; true while contact is lost. */
  private boolean silence(String why) {
    out.accept(fleet.onSilence(System.nanoTime(), why));
    return fleet.contactLost();
  }

  private static double wallSeconds() {
    return System.currentTimeMillis() / 1000.0;
  }
}
