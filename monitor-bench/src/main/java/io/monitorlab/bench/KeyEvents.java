package io.monitorlab.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Keys;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bench's own watch on {@code /monitor/heartbeat/}: the arrival time (System.nanoTime(), the
 * bench's clock, as for the children's lines) of the first PUT and the first DELETE of each node's
 * key. The watch has its own client, so the simulated agents' traffic on the shared one does not
 * delay its events. The jetcd callback only stamps and completes futures. Thread-safe.
 */
final class KeyEvents implements AutoCloseable {
  private static final ByteSequence PREFIX = EtcdClients.bytes(Keys.HEARTBEAT_PREFIX);

  private final Map<String, CompletableFuture<Long>> puts = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> deletes = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> created = new CompletableFuture<>();
  private final Client client;
  private final Watch.Watcher watcher;

  private KeyEvents(Client client) {
    this.client = client;
    WatchOption option = WatchOption.builder().isPrefix(true).withCreateNotify(true).build();
    this.watcher = client.getWatchClient().watch(PREFIX, option, Watch.listener(this::onNext, created::completeExceptionally));
  }

  /** Starts watching and waits until etcd confirmed the watch, so no later event is missed. */
  static KeyEvents start(EtcdEndpoints endpoints, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
    KeyEvents k = new KeyEvents(EtcdClients.connect(endpoints));
    try {
      k.created.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return k;
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      k.close();
      throw e;
    }
  }

  private void onNext(WatchResponse response) {
    long now = System.nanoTime();
    if (response.isCreatedNotify()) {
      created.complete(null);
      return;
    }
    for (WatchEvent e : response.getEvents()) {
      String node = Keys.nodeOf(Keys.HEARTBEAT_PREFIX, EtcdClients.text(e.getKeyValue().getKey())).orElse("");
      Map<String, CompletableFuture<Long>> into = e.getEventType() == WatchEvent.EventType.DELETE ? deletes : puts;
      into.computeIfAbsent(node, n -> new CompletableFuture<>()).complete(now);
    }
  }

  /** When the first PUT of {@code node}'s key arrived, waiting at most {@code timeout}. */
  OptionalLong awaitPut(String node, Duration timeout) throws InterruptedException {
    return await(puts, node, timeout);
  }

  /** When the first DELETE of {@code node}'s key arrived, waiting at most {@code timeout}. */
  OptionalLong awaitDelete(String node, Duration timeout) throws InterruptedException {
    return await(deletes, node, timeout);
  }

  private static OptionalLong await(Map<String, CompletableFuture<Long>> map, String node, Duration timeout)
      throws InterruptedException {
    try {
      return OptionalLong.of(map.computeIfAbsent(node, n -> new CompletableFuture<>())
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (ExecutionException | TimeoutException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public void close() {
    watcher.close();
    client.close();
  }
}
