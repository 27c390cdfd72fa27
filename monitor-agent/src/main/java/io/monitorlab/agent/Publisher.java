package io.monitorlab.agent;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.monitorlab.common.Backoff;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Keys;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the agent's latest metrics ({@code /monitor/metrics/<node>}) and status ({@code /monitor/status/<node>})
 * bound to the agent's lease, so both vanish when the node dies. Callers hand values over and return at
 * once; only the latest of each is put, on this loop's own thread. When the lease changes (the heartbeat
 * registered again) both are put again under the new one; while there is none nothing is put. A failed put
 * is retried with backoff. One loop on one thread; {@link #offerMetrics}, {@link #offerStatus},
 * {@link #leaseChanged} and {@link #stop} are thread-safe and never block.
 */
final class Publisher implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Publisher.class);
  private static final Backoff RETRY = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));
  private static final Duration PUT_TIMEOUT = Duration.ofSeconds(2);

  private final Client client;
  private final String node;
  private final Object lock = new Object();
  private boolean stopping;
  private String metrics;
  private String status;
  private boolean metricsDirty;
  private boolean statusDirty;
  private long lease;
  /** A lease etcd said is gone: nothing is put under it again; the lease's owner offers the next one. */
  private long deadLease;
  private int failures;
  private boolean failing;

  Publisher(Client client, String node) {
    this.client = client;
    this.node = node;
  }

  void offerMetrics(String json) {
    synchronized (lock) {
      metrics = json;
      metricsDirty = true;
      lock.notifyAll();
    }
  }

  void offerStatus(String json) {
    synchronized (lock) {
      status = json;
      statusDirty = true;
      lock.notifyAll();
    }
  }

  /** The lease the keys are to be bound to from now on; 0 while there is none. */
  void leaseChanged(long id) {
    synchronized (lock) {
      if (id != lease) {
        lease = id;
        metricsDirty = metrics != null;
        statusDirty = status != null;
        failures = 0;
        lock.notifyAll();
      }
    }
  }

  @Override
  public void run() {
    try {
      while (true) {
        String m;
        String s;
        long id;
        synchronized (lock) {
          while (!stopping && (lease == 0 || lease == deadLease || !metricsDirty && !statusDirty)) {
            lock.wait();
          }
          if (stopping) {
            return;
          }
          id = lease;
          m = metricsDirty ? metrics : null;
          s = statusDirty ? status : null;
          metricsDirty = false;
          statusDirty = false;
        }
        boolean statusOk = s == null || put(Keys.status(node), s, id);
        boolean metricsOk = m == null || put(Keys.metrics(node), m, id);
        if (!statusOk || !metricsOk) {
          retryLater(id, !statusOk, !metricsOk);
        } else {
          synchronized (lock) {
            failures = 0;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Marks what failed for another put and waits out the backoff (cut short by a new lease or a stop). */
  private void retryLater(long id, boolean statusFailed, boolean metricsFailed) throws InterruptedException {
    synchronized (lock) {
      if (id != lease) {
        return;
      }
      statusDirty |= statusFailed;
      metricsDirty |= metricsFailed;
      long until = System.nanoTime() + RETRY.delay(++failures).toNanos();
      long left;
      while (!stopping && id == lease && (left = until - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
    }
  }

  private boolean put(String key, String value, long id) throws InterruptedException {
    try {
      client.getKVClient().put(EtcdClients.bytes(key), EtcdClients.bytes(value), PutOption.builder().withLeaseId(id).build())
          .get(PUT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (failing) {
        failing = false;
        log.info("publishing works again node={} key={}", node, key);
      }
      return true;
    } catch (ExecutionException | TimeoutException e) {
      if (EtcdErrors.isLeaseNotFound(e)) {
        synchronized (lock) {
          deadLease = id;
        }
        log.info("publish skipped node={} key={} lease={}: the lease is gone; waiting for the next one", node, key, id);
        return false;
      }
      if (!failing) {
        // Said once per streak of failures; a refusal (no permission for the key) is an error, an outage a warning.
        if (EtcdErrors.isTransient(e)) {
          log.warn("publish failed node={} key={} error=\"{}\"; retrying with backoff", node, key, EtcdErrors.describe(e));
        } else {
          log.error("cannot publish node={} key={} error=\"{}\"; retrying with backoff", node, key, EtcdErrors.describe(e));
        }
      }
      failing = true;
      return false;
    }
  }

  void stop() {
    synchronized (lock) {
      stopping = true;
      lock.notifyAll();
    }
  }
}
