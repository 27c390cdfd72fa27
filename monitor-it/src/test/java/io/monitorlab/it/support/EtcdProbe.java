package io.monitorlab.it.support;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.monitorlab.common.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Reads keys straight from etcd, from the test's side, and waits for them to appear or vanish. */
public final class EtcdProbe {
  private static final Duration POLL = Duration.ofMillis(10);

  private final Client client;

  /** A probe over {@code client}; makes one read at once, so that the first timed wait is not the client's warm-up. */
  public EtcdProbe(Client client) {
    this.client = client;
    get(Keys.ROOT);
  }

  /** The key's current entry, if any. */
  public Optional<KeyValue> get(String key) {
    try {
      return client.getKVClient().get(bytes(key)).get(3, TimeUnit.SECONDS).getKvs().stream().findFirst();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("get " + key + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The key's current value as text, if any. */
  public Optional<String> value(String key) {
    return get(key).map(kv -> kv.getValue().toString(StandardCharsets.UTF_8));
  }

  /** Waits until the key exists; returns System.nanoTime() when it was first seen. */
  public long awaitPresent(String key, Duration timeout) {
    return awaitEntry(key, timeout, "to exist", kv -> true);
  }

  /** Waits until the key exists bound to a lease other than {@code oldLease}; returns when seen. */
  public long awaitPresentWithNewLease(String key, long oldLease, Duration timeout) {
    return awaitEntry(key, timeout, "to exist with a lease other than " + oldLease,
        kv -> kv.getLease() != 0 && kv.getLease() != oldLease);
  }

  /** Waits until the key is gone; returns System.nanoTime() when its absence was first seen. */
  public long awaitAbsent(String key, Duration timeout) {
    try {
      Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> get(key).isEmpty());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("key " + key + " still in etcd after " + Timing.seconds(timeout) + ": " + value(key), e);
    }
    return System.nanoTime();
  }

  private long awaitEntry(String key, Duration timeout, String what, Predicate<KeyValue> ok) {
    try {
      Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL)
          .until(() -> get(key).filter(ok).isPresent());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("key " + key + " did not come " + what + " within " + Timing.seconds(timeout)
          + "; now: " + get(key).map(kv -> kv.getValue().toString(StandardCharsets.UTF_8) + " lease=" + kv.getLease()), e);
    }
    return System.nanoTime();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
