package io.monitorlab.common;

import io.etcd.jetcd.Watch;
import java.util.concurrent.BlockingQueue;

/**
 * A jetcd watch listener that only enqueues (responses, errors, and {@link #COMPLETED}), so that
 * nothing blocks jetcd's event loop and one loop thread handles everything in order. Thread-safe.
 */
public final class WatchInbox {
  /** Put in the inbox when the watch has closed for good. */
  public static final Object COMPLETED = new Object();

  private WatchInbox() {}

  public static Watch.Listener into(BlockingQueue<Object> inbox) {
    return Watch.listener(inbox::add, inbox::add, () -> inbox.add(COMPLETED));
  }
}
