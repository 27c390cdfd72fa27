package io.monitorlab.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.common.test.EtcdMember;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Follows the Raft leader of an {@link EtcdCluster} from the test's side: polls every member's
 * {@code /v3/maintenance/status} (the gRPC gateway, plain HTTP) every 50 ms and records each new
 * (term, leader) with the time it was first seen. Etcd resets every lease to its full TTL when a
 * new leader takes over, so death-detection bounds count from {@link #lastChangeBefore}. A change is
 * seen at most one poll late, which only makes the bounds measured from it more lenient.
 * Frozen (paused) and dead members are skipped. This class is thread-safe.
 */
public final class LeaderTracker implements AutoCloseable {
  /** A leader first seen at {@code nanos} (System.nanoTime()) for Raft {@code term}. */
  public record Change(long nanos, long term, int leader) {}

  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration ASK_TIMEOUT = Duration.ofMillis(300);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(ASK_TIMEOUT).build();

  private final EtcdCluster etcd;
  private final ScheduledExecutorService poller;
  private final ConcurrentHashMap<Integer, String> memberIds = new ConcurrentHashMap<>();
  private final List<Change> changes = new ArrayList<>();
  private final AtomicReference<Change> current = new AtomicReference<>();

  private LeaderTracker(EtcdCluster etcd) {
    this.etcd = etcd;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "leader-tracker");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts polling and waits until a leader is known. */
  public static LeaderTracker start(EtcdCluster etcd) {
    LeaderTracker tracker = new LeaderTracker(etcd);
    tracker.poller.scheduleWithFixedDelay(tracker::pollOnce, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    tracker.leaderIndex();
    return tracker;
  }

  /** The index of the current leader (waits up to 10 s for one to be known). */
  public int leaderIndex() {
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> current.get() != null);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no etcd member reported a leader within 10 s", e);
    }
    return current.get().leader();
  }

  /** Waits until a member other than {@code former} leads; returns its index. */
  public int awaitLeaderOtherThan(int former, Duration timeout) {
    try {
      Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20))
          .until(() -> current.get() != null && current.get().leader() != former);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no new etcd leader (other than m" + former + ") within " + Timing.seconds(timeout)
          + "; changes seen: " + changes(), e);
    }
    return current.get().leader();
  }

  /**
   * Moves the leadership from the current leader to the next member with the real
   * {@code etcdctl move-leader}, sent to the leader's own endpoint as etcd requires (retried when the
   * leader changed under it), and waits until the tracker sees the new leader. Returns its index.
   */
  public int moveLeaderAway(EtcdCtl etcdctl) {
    int[] from = new int[1];
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        from[0] = leaderIndex();
        etcdctl.at(etcd.member(from[0]).endpoint()).run("move-leader", memberIdHex((from[0] + 1) % etcd.members().size()));
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("etcdctl move-leader did not succeed within 10 s", e);
    }
    return awaitLeaderOtherThan(from[0], Duration.ofSeconds(5));
  }

  /** Member {@code i}'s Raft id in hex, as {@code etcdctl move-leader} wants it. */
  public String memberIdHex(int i) {
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> memberIds.containsKey(i));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("member m" + i + " never answered a status request", e);
    }
    return memberIds.get(i);
  }

  /** Every leader change seen since the tracker started (the first leader is not a change). */
  public synchronized List<Change> changes() {
    return List.copyOf(changes);
  }

  /** When the last leader change seen at or before {@code nanos} was first seen, if any. */
  public synchronized Optional<Long> lastChangeBefore(long nanos) {
    Long last = null;
    for (Change c : changes) {
      if (c.nanos() - nanos <= 0) {
        last = c.nanos();
      }
    }
    return Optional.ofNullable(last);
  }

  /** The later of {@code nanos} and the last leader change seen before {@code until}. */
  public long laterOfAndLastChange(long nanos, long until) {
    return lastChangeBefore(until).filter(c -> c - nanos > 0).orElse(nanos);
  }

  private void pollOnce() {
    List<EtcdMember> members = etcd.members();
    List<CompletableFuture<Optional<JsonNode>>> asks = new ArrayList<>();
    for (EtcdMember m : members) {
      asks.add(m.isRunning() && !m.isPaused() ? ask(m) : CompletableFuture.completedFuture(Optional.empty()));
    }
    long now = System.nanoTime();
    for (int i = 0; i < asks.size(); i++) {
      Optional<JsonNode> status = asks.get(i).join();
      if (status.isPresent()) {
        observe(i, status.get(), now, members);
      }
    }
  }

  private CompletableFuture<Optional<JsonNode>> ask(EtcdMember m) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + m.endpoint() + "/v3/maintenance/status"))
        .timeout(ASK_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> r.statusCode() == 200 ? parse(r.body()) : Optional.<JsonNode>empty())
        .exceptionally(e -> Optional.empty());
  }

  private static Optional<JsonNode> parse(String body) {
    try {
      return Optional.of(JSON.readTree(body));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private synchronized void observe(int index, JsonNode status, long now, List<EtcdMember> members) {
    String self = status.path("header").path("member_id").asText("");
    if (!self.isEmpty()) {
      memberIds.put(index, Long.toHexString(Long.parseUnsignedLong(self)));
    }
    String leaderText = status.path("leader").asText("0");
    long term = Long.parseLong(status.path("raftTerm").asText("0"));
    if ("0".equals(leaderText) || leaderText.isEmpty()) {
      return;
    }
    String leaderHex = Long.toHexString(Long.parseUnsignedLong(leaderText));
    int leader = -1;
    for (var e : memberIds.entrySet()) {
      if (e.getValue().equals(leaderHex)) {
        leader = e.getKey();
      }
    }
    if (leader < 0) {
      return; // the leader's own id is not known yet: the next poll resolves it
    }
    Change seen = current.get();
    if (seen == null) {
      current.set(new Change(now, term, leader));
    } else if (term > seen.term() || (term == seen.term() && leader != seen.leader())) {
      Change c = new Change(now, term, leader);
      current.set(c);
      changes.add(c);
      System.out.println("[leader] term " + term + ": m" + leader + " leads (" + members.get(leader).endpoint() + ")");
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
