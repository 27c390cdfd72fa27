package io.monitorlab.common;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.concurrent.BlockingQueue;

/**
 * A jetcd watch listener that only enqueues typed items, so that nothing blocks jetcd's event loop and
 * one loop thread handles everything in order. Thread-safe.
 */
public final class WatchInbox {
  /** What a watch said: events (or a progress notification), compaction, a failure, or the end. */
  public sealed interface Item permits Events, Compacted, Failed, Closed {}

  /** A response: its events (none for a progress notification). */
  public record Events(WatchResponse response) implements Item {}

  /** The revision to watch from was compacted: the watch has ended; list again. */
  public record Compacted(long compactRevision) implements Item {}

  /** The watch broke (no leader, permission, ...): the watch has ended. */
  public record Failed(Throwable error) implements Item {}

  /** The watch has closed for good without an error. */
  public record Closed() implements Item {}

  private WatchInbox() {}

  public static Watch.Listener into(BlockingQueue<Item> inbox) {
    return Watch.listener(
        response -> inbox.add(new Events(response)),
        error -> inbox.add(error instanceof CompactedException c ? new Compacted(c.getCompactedRevision()) : new Failed(error)),
        () -> inbox.add(new Closed()));
  }
}
