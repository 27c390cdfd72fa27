package io.monitorlab.common;

import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs sessions (one connected run against etcd) one after another on the caller's thread until
 * stopped. An outage ends a session and is retried after a jittered backoff; anything else is a bug
 * and escapes; before each retry the client's channel is told to reconnect at once
 * ({@link ChannelBackoff}). {@link #stop()} is thread-safe and wakes a waiting loop at once.
 */
public abstract class SessionLoop implements Runnable {
  private final Logger log = LoggerFactory.getLogger(getClass());
  private final CountDownLatch stop = new CountDownLatch(1);
  private final String what;
  private final Backoff backoff;
  private final EtcdEndpoints endpoints;
  private final Client client;

  protected SessionLoop(String what, Backoff backoff, EtcdEndpoints endpoints, Client client) {
    this.what = what;
    this.backoff = backoff;
    this.endpoints = endpoints;
    this.client = client;
  }

  /** One session: returns when it ended normally (the loop starts the next one), throws on an outage. */
  protected abstract void runSession() throws Exception;

  @Override
  public final void run() {
    int failures = 0;
    while (!isStopping()) {
      try {
        runSession();
        failures = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        String access = AccessErrors.describe(e, endpoints);
        if (access != null) {
          throw new EtcdAccessException(what + ": " + access, e);
        }
        if (!EtcdErrors.isTransient(e)) {
          throw new IllegalStateException(what + " failed: " + EtcdErrors.describe(e), e);
        }
        failures++;
        if (isStopping()) {
          return;
        }
        Duration delay = backoff.delay(failures);
        log.warn("{} cannot reach etcd endpoints={} error=\"{}\" failures={} retry_in_ms={}; "
            + "check that etcd runs there and that --endpoints/ETCD_ENDPOINTS is right",
            what, endpoints, EtcdErrors.describe(e), failures, delay.toMillis());
        if (sleep(delay)) {
          return;
        }
        // Our schedule, not gRPC's growing one, decides when a refused member is tried again.
        ChannelBackoff.reset(client);
        continue;
      }
      if (sleep(backoff.delay(0))) {
        return;
      }
    }
  }

  /** Asks the loop to end; the current session sees {@link #isStopping()} and returns. */
  public void stop() {
    stop.countDown();
  }

  public final boolean isStopping() {
    return stop.getCount() == 0;
  }

  /** Waits up to {@code d}; true when stopped meanwhile. */
  protected final boolean sleep(Duration d) {
    try {
      return stop.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
