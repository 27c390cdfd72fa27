package io.monitorlab.server;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Keys;
import io.monitorlab.common.OneLine;
import io.monitorlab.common.WatchInbox;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code config set --wait}: waits until the node's agent says, in {@code /monitor/status/<node>}, that it
 * applied the config written at a revision (or a later one), or rejected it. Reads the status once,
 * then watches it from that read's revision + 1, so no answer is missed. Used from one thread.
 */
final class ConfigWait {
  static final int DEFAULT_SECONDS = 10;
  static final int MAX_SECONDS = 3600;

  /** The answer, and the line that says it. */
  record Outcome(boolean applied, String line) {}

  private final Client client;
  private final String node;

  ConfigWait(Client client, String node) {
    this.client = client;
    this.node = node;
  }

  static Duration timeout(String text) {
    try {
      int s = Integer.parseInt(text.trim());
      if (s >= 1 && s <= MAX_SECONDS) {
        return Duration.ofSeconds(s);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--wait: invalid value \"" + text + "\": expected whole seconds from 1 to " + MAX_SECONDS);
  }

  /** Waits for the agent's answer about {@code revision}; {@code since} (System.nanoTime) is when the put returned. */
  Outcome await(long revision, long since, Duration timeout) throws Exception {
    long deadline = since + timeout.toNanos();
    ByteSequence key = EtcdClients.bytes(Keys.status(node));
    GetResponse got = client.getKVClient().get(key).get(EtcdClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Optional<Outcome> now = got.getKvs().isEmpty() ? Optional.empty()
        : judge(EtcdClients.text(got.getKvs().get(0).getValue()), revision, since);
    if (now.isPresent()) {
      return now.get();
    }
    BlockingQueue<WatchInbox.Item> inbox = new LinkedBlockingQueue<>();
    WatchOption option = WatchOption.builder().withRevision(got.getHeader().getRevision() + 1).build();
    try (Watch.Watcher ignored = client.getWatchClient().watch(key, option, WatchInbox.into(inbox))) {
      while (true) {
        long left = deadline - System.nanoTime();
        WatchInbox.Item item = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
        if (item == null) {
          return new Outcome(false, "[Config] " + node + " did not answer within " + timeout.toSeconds() + " s: no agent reported "
              + "revision " + revision + " at " + Keys.status(node) + " (the node may be dead or run no agent)");
        }
        if (item instanceof WatchInbox.Events events) {
          for (WatchEvent e : events.response().getEvents()) {
            if (e.getEventType() == WatchEvent.EventType.PUT) {
              Optional<Outcome> o = judge(EtcdClients.text(e.getKeyValue().getValue()), revision, since);
              if (o.isPresent()) {
                return o.get();
              }
            }
          }
        }
      }
    }
  }

  private Optional<Outcome> judge(String value, long revision, long since) {
    Optional<AgentStatus> status = AgentStatus.parse(value);
    if (status.isEmpty()) {
      return Optional.empty();
    }
    AgentStatus s = status.get();
    String after = String.format(Locale.ROOT, "%.3f s", (System.nanoTime() - since) / 1e9);
    if (s.rejectedRevision() != null && s.rejectedRevision() == revision) {
      return Optional.of(new Outcome(false, "[Config] " + node + " REJECTED revision " + revision + " after " + after + ": "
          + OneLine.of(s.rejectedReason())));
    }
    if (s.configRevision() >= revision) {
      return Optional.of(new Outcome(true, "[Config] " + node + " applied revision " + s.configRevision() + " after " + after));
    }
    return Optional.empty();
  }
}
