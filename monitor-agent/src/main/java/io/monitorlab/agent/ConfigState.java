package io.monitorlab.agent;

import io.monitorlab.common.NodeConfig;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The config in force and a version that moves on every change, so a waiting loop wakes at once.
 * This class is thread-safe.
 */
final class ConfigState {
  /** A config together with the version it was installed as and when (System.nanoTime()). */
  record Snapshot(NodeConfig config, long version, long changedAtNanos) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private Snapshot current;
  private boolean loaded;
  private boolean closed;

  ConfigState(NodeConfig initial) {
    current = new Snapshot(initial, 0, System.nanoTime());
  }

  Snapshot current() {
    lock.lock();
    try {
      return current;
    } finally {
      lock.unlock();
    }
  }

  /** Installs {@code config}; returns false when it equals the one in force. */
  boolean install(NodeConfig config) {
    lock.lock();
    try {
      if (config.equals(current.config())) {
        return false;
      }
      current = new Snapshot(config, current.version() + 1, System.nanoTime());
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Marks the initial config as read from etcd; {@link #awaitLoaded()} returns from then on. */
  void markLoaded() {
    lock.lock();
    try {
      loaded = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the initial config was read; false when closed first. */
  boolean awaitLoaded() throws InterruptedException {
    lock.lock();
    try {
      while (!loaded && !closed) {
        changed.await();
      }
      return loaded;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiter for good: waits return at once from now on (used on stop). */
  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the version differs from {@code seenVersion} or {@code deadlineNanos} (System.nanoTime())
   * passes (or the state is closed), and returns the snapshot then in force.
   */
  Snapshot awaitChange(long seenVersion, long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      long left = deadlineNanos - System.nanoTime();
      while (current.version() == seenVersion && left > 0 && !closed) {
        left = changed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(60)));
      }
      return current;
    } finally {
      lock.unlock();
    }
  }
}
