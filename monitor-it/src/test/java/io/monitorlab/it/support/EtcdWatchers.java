package io.monitorlab.it.support;

import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.common.test.EtcdMember;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Which etcd member serves the watches, from each member's {@code /metrics}. Thread-safe. */
public final class EtcdWatchers {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private EtcdWatchers() {}

  /**
   * The member serving the only watch in the cluster (start the watcher before anything else that
   * watches). Waits until exactly one member counts watchers.
   */
  public static int memberServingTheOnlyWatch(EtcdCluster etcd) {
    AtomicInteger found = new AtomicInteger(-1);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
        int[] watching = IntStream.range(0, etcd.members().size()).filter(i -> watchers(etcd.member(i)) > 0).toArray();
        found.set(watching.length == 1 ? watching[0] : -1);
        return found.get() >= 0;
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("not exactly one etcd member serves watches: " + IntStream.range(0, etcd.members().size())
          .mapToObj(i -> "m" + i + "=" + watchers(etcd.member(i))).toList(), e);
    }
    return found.get();
  }

  /** etcd_debugging_mvcc_watcher_total of the member (0 when it does not answer). */
  public static long watchers(EtcdMember member) {
    if (!member.isRunning() || member.isPaused()) {
      return 0;
    }
    try {
      String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + member.endpoint() + "/metrics"))
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString()).body();
      return metrics.lines().filter(l -> l.startsWith("etcd_debugging_mvcc_watcher_total "))
          .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
