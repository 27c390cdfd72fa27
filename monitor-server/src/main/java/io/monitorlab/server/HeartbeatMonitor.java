package io.monitorlab.server;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.monitorlab.common.Backoff;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Keys;
import io.monitorlab.common.Registration;
import io.monitorlab.common.SessionLoop;
import io.monitorlab.common.WatchInbox;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code /monitor/heartbeat/} and reports transitions. The first session lists the prefix
 * and watches from that revision + 1; a later session resumes from the last revision seen, and
 * lists again (reporting the difference) only when that revision was compacted. Prints the status
 * pair at start, after each transition and every status period. One loop on one thread; jetcd
 * callbacks only enqueue.
 */
final class HeartbeatMonitor extends SessionLoop {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatMonitor.class);
  private static final ByteSequence PREFIX = EtcdClients.bytes(Keys.HEARTBEAT_PREFIX);
  private static final ByteSequence NODES = EtcdClients.bytes(Keys.NODES_PREFIX);
  /** Silence after which the monitor says it cannot see the cluster (nodes become UNKNOWN, not DEAD). */
  static final Duration LOST_AFTER = Duration.ofSeconds(3);
  /** How often a quiet watch is asked for a progress notification, to tell silence from a dead stream. */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
  /** How long a deletion that cannot be a lease expiry waits for the node to write its key again. */
  static final Duration REVOKE_GRACE = Duration.ofSeconds(1);

  private final Client client;
  private final MonitorPrinter printer;
  private final Duration statusEvery;
  private final TransitionLog transitionLog;
  private final AliveSet alive = new AliveSet();
  private final EventHold hold = new EventHold(REVOKE_GRACE);
  private final Contact contact = new Contact(LOST_AFTER, System.nanoTime());
  /** Last revision whose events were applied; 0 when the next session must list. */
  private long revision;
  private boolean started;
  private long nextStatus;

  HeartbeatMonitor(Client client, EtcdEndpoints endpoints, MonitorPrinter printer, Duration statusEvery,
      TransitionLog transitionLog) {
    super("heartbeat monitor", Backoff.DEFAULT, endpoints, client);
    this.client = client;
    this.printer = printer;
    this.statusEvery = statusEvery;
    this.transitionLog = transitionLog;
  }

  @Override
  protected void runSession() throws Exception {
    checkContact("no answer from etcd");
    if (revision == 0) {
      list();
    }
    BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision + 1).withRequireLeader(true).build();
    try (Watch.Watcher ignored = client.getWatchClient().watch(PREFIX, option, WatchInbox.into(inbox))) {
      log.info("watching prefix={} from_revision={}", Keys.HEARTBEAT_PREFIX, revision + 1);
      long started = System.nanoTime();
      long nextProgress = started + PROGRESS_EVERY.toNanos();
      while (!isStopping()) {
        long now = System.nanoTime();
        if (now - nextProgress >= 0) {
          if (now - started > LOST_AFTER.toNanos() && checkContact("no answer from the etcd member serving the watch")) {
            // A frozen or cut-off member keeps the stream open but silent: start over, likely elsewhere.
            throw new IOException("no answer from etcd for " + LOST_AFTER.toSeconds() + " s");
          }
          client.getWatchClient().requestProgress();
          nextProgress = now + PROGRESS_EVERY.toNanos();
        }
        long wait = Math.min(Math.min(nextStatus, nextProgress), hold.nextDeadline().orElse(Long.MAX_VALUE)) - now;
        Object item = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : null;
        if (item == null) {
          process(hold.release(System.nanoTime()));
          if (System.nanoTime() - nextStatus >= 0) {
            printStatus();
          }
        } else if (item instanceof WatchResponse response) {
          heard();
          process(offer(response));
        } else if (item instanceof CompactedException e) {
          log.warn("watch history compacted revision={} compact_revision={}; listing again", revision, e.getCompactedRevision());
          revision = 0;
          return;
        } else if (item instanceof Throwable t) {
          throw new IOException("heartbeat watch broke: " + EtcdErrors.describe(t), t);
        } else if (item == WatchInbox.COMPLETED) {
          log.info("heartbeat watch closed revision={}; resuming", revision);
          return;
        }
      }
    }
  }

  /** Hands the response's events to the hold; returns those to apply now. */
  private List<EventHold.Event> offer(WatchResponse response) {
    long now = System.nanoTime();
    double wall = System.currentTimeMillis() / 1000.0;
    List<EventHold.Event> released = new ArrayList<>();
    for (WatchEvent event : response.getEvents()) {
      KeyValue kv = event.getKeyValue();
      // Events of one revision (e.g. a lease expiry deleting several keys) share it: no filter on equality.
      revision = Math.max(revision, kv.getModRevision());
      String node = Keys.nodeOf(Keys.HEARTBEAT_PREFIX, EtcdClients.text(kv.getKey())).orElse(null);
      if (node != null) {
        boolean delete = event.getEventType() == WatchEvent.EventType.DELETE;
        released.addAll(hold.offer(new EventHold.Event(node, delete, delete ? "" : EtcdClients.text(kv.getValue()),
            kv.getModRevision()), now, wall));
      }
    }
    for (EventHold.Kept k : hold.drainKept()) {
      log.warn("heartbeat key deleted too soon for a lease expiry and written again node={} delete_revision={} put_revision={} "
          + "since_last_write_ms={} rewritten_after_ms={}; not reported dead (etcd before 3.4.28/3.5.11 revokes leases when a "
          + "frozen leader resumes)", k.node(), k.deleteRevision(), k.putRevision(), k.sinceLastWrite().toMillis(), k.after().toMillis());
      printer.kept(k);
      transitionLog.appendKept(k);
    }
    return released;
  }

  /** Applies events released together: one observation. */
  private void process(List<EventHold.Event> events) {
    if (events.isEmpty()) {
      return;
    }
    warnIfMassVanish(events.stream().filter(EventHold.Event::delete).map(EventHold.Event::node).distinct()
        .filter(alive::wouldDie).count(), alive.alive().size());
    for (EventHold.Event e : events) {
      report(e.delete() ? alive.delete(e.node(), e.revision()) : alive.put(e.node(), e.value(), e.leaving(), e.revision()));
    }
  }

  private void list() throws Exception {
    // What the watch said before the listing comes first, so that e.g. a "leaving" put still makes a LEFT.
    process(hold.releaseAll());
    // One transaction: the heartbeats and the registrations at the same revision.
    TxnResponse txn = client.getKVClient().txn()
        .Then(Op.get(PREFIX, GetOption.builder().isPrefix(true).build()),
            Op.get(NODES, GetOption.builder().isPrefix(true).build()))
        .commit()
        .get(EtcdClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    GetResponse got = txn.getGetResponses().get(0);
    Map<String, String> listing = new LinkedHashMap<>();
    for (KeyValue kv : got.getKvs()) {
      Keys.nodeOf(Keys.HEARTBEAT_PREFIX, EtcdClients.text(kv.getKey()))
          .ifPresent(node -> listing.put(node, EtcdClients.text(kv.getValue())));
    }
    List<String> expected = new ArrayList<>();
    for (KeyValue kv : txn.getGetResponses().get(1).getKvs()) {
      String value = EtcdClients.text(kv.getValue());
      if (Registration.parse(value).map(Registration::isActive).orElse(true)) {
        Keys.nodeOf(Keys.NODES_PREFIX, EtcdClients.text(kv.getKey())).ifPresent(expected::add);
      }
    }
    revision = txn.getHeader().getRevision();
    heard();
    log.info("listed heartbeats count={} revision={}", listing.size(), revision);
    // One listing is one observation: its transitions, then one status pair showing the state after
    // all of them (at start this is the start pair), not a pair per line that already shows later nodes.
    int presentBefore = alive.alive().size();
    List<AliveSet.Transition> changes = new ArrayList<>(alive.reconcile(listing, revision));
    changes.addAll(alive.missing(expected, revision));
    warnIfMassVanish(changes.stream().filter(t -> t.kind() == AliveSet.Kind.DEAD).count(), presentBefore);
    for (AliveSet.Transition t : changes) {
      // One summary at INFO: a listing of 10,000 nodes logged line by line took about a second.
      log.debug("transition node={} state={} revision={} source=list", t.node(), t.kind(), t.revision());
      printer.transition(t);
      transitionLog.append(t, "list");
    }
    log.info("listing reconciled transitions={} alive={} revision={}", changes.size(), alive.alive().size(), revision);
    if (!started || !changes.isEmpty()) {
      started = true;
      printStatus();
    }
  }

  /**
   * More than half of the nodes gone in one observation (one watch response or one listing) is
   * more likely a partition between them and etcd than that many deaths: say so first.
   */
  private void warnIfMassVanish(long vanished, int presentBefore) {
    if (vanished >= 2 && vanished * 2 > presentBefore) {
      log.warn("mass vanish vanished={} present_before={}", vanished, presentBefore);
      printer.massVanish(vanished, presentBefore);
    }
  }

  private void report(List<AliveSet.Transition> transitions) {
    for (AliveSet.Transition t : transitions) {
      log.info("transition node={} state={} revision={} source=watch", t.node(), t.kind(), t.revision());
      printer.transition(t);
      transitionLog.append(t, "watch");
      printStatus();
    }
  }

  /** Prints the loss of contact once; true while contact is lost. */
  private boolean checkContact(String why) {
    long now = System.nanoTime();
    if (contact.check(now) == Contact.Change.LOST) {
      log.warn("lost contact with etcd silence_ms={} reason=\"{}\"; nodes are UNKNOWN until it answers", contact.silence(now).toMillis(), why);
      printer.contactLost(contact.silence(now), why, alive.alive());
    }
    return contact.isLost();
  }

  private void heard() {
    long now = System.nanoTime();
    Duration silence = contact.silence(now);
    if (contact.heard(now) == Contact.Change.RESTORED) {
      log.info("contact with etcd restored silence_ms={} revision={}", silence.toMillis(), revision);
      printer.contactRestored(silence);
    }
  }

  private void printStatus() {
    if (contact.isLost()) {
      printer.unknown(contact.silence(System.nanoTime()), alive.alive());
      nextStatus = System.nanoTime() + statusEvery.toNanos();
      return;
    }
    printer.status(alive.alive());
    nextStatus = System.nanoTime() + statusEvery.toNanos();
  }

}
