package io.monitorlab.agent;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Keys;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the agent's latest metrics ({@code /monitor/metrics/<node>}) and status ({@code /monitor/status/<node>})
 * bound to the heartbeat's lease, so both vanish when the node dies. Callers hand values over and return
 * at once; only the latest of each is put, on this loop's own thread. After the heartbeat registered again
 * under a new lease both are put again under it. A failed put is retried a second later. One loop on one
 * thread; {@link #offerMetrics}, {@link #offerStatus} and {@link #stop} are thread-safe.
 */
final class Publisher implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Publisher.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration PUT_TIMEOUT = Duration.ofSeconds(2);

  private final Client client;
  private final String node;
  private final LongSupplier lease;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Object lock = new Object();
  private String metrics;
  private String status;
  private boolean metricsDirty;
  private boolean statusDirty;
  private long publishedLease;
  private boolean failing;

  Publisher(Client client, String node, LongSupplier lease) {
    this.client = client;
    this.node = node;
    this.lease = lease;
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

  @Override
  public void run() {
    try {
      while (!stopping.get()) {
        String m;
        String s;
        long id = lease.getAsLong();
        synchronized (lock) {
          if (id != 0 && id != publishedLease) {
            metricsDirty = metrics != null;
            statusDirty = status != null;
          }
          if (id == 0 || !metricsDirty && !statusDirty) {
            // Wakes for a new value, and every second to notice a new lease.
            lock.wait(RETRY.toMillis());
            continue;
          }
          m = metricsDirty ? metrics : null;
          s = statusDirty ? status : null;
          metricsDirty = false;
          statusDirty = false;
        }
        boolean ok = (s == null || put(Keys.status(node), s, id)) & (m == null || put(Keys.metrics(node), m, id));
        synchronized (lock) {
          if (ok) {
            publishedLease = id;
          } else {
            metricsDirty |= m != null && metrics == m;
            statusDirty |= s != null && status == s;
            lock.wait(RETRY.toMillis());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
      if (!failing) {
        // Said once per streak of failures; a refusal (no permission for the key) is an error, an outage a warning.
        if (EtcdErrors.isTransient(e)) {
          log.warn("publish failed node={} key={} error=\"{}\"; retrying every second", node, key, EtcdErrors.describe(e));
        } else {
          log.error("cannot publish node={} key={} error=\"{}\"; retrying every second", node, key, EtcdErrors.describe(e));
        }
      }
      failing = true;
      return false;
    }
  }

  void stop() {
    stopping.set(true);
    synchronized (lock) {
      lock.notifyAll();
    }
  }
}
