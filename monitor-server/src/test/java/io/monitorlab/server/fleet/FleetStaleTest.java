package io.monitorlab.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.server.fleet.FleetEvent.NodeChanged;
import io.monitorlab.server.fleet.FleetEvent.Staleness;
import io.monitorlab.server.fleet.FleetEvent.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stale rule of the fleet model: a live node whose key stays but whose value is not rewritten on
 * its cadence. The clock is the test's: {@code wall} seconds, System.nanoTime-like values derived from it.
 */
@Timeout(10)
class FleetStaleTest {
  private static final double T0 = 1_800_000_000.0;

  private final Fleet fleet = new Fleet(Duration.ofSeconds(1), Duration.ofSeconds(3), 0);
  private long revision;
  private double wall = T0;

  private static String beat(String node, double ts) {
    return Heartbeat.alive(node, Instant.ofEpochMilli(Math.round(ts * 1000))).toJson();
  }

  private static String status(String mode) {
    return status(mode, 5);
  }

  private static String status(String mode, long ttl) {
    return new AgentStatus(0, T0, null, null, "1.0", T0, mode, ttl).toJson();
  }

  private long nanos() {
    return Math.round((wall - T0) * 1e9);
  }

  private List<FleetEvent> watch(KeyEvent... events) {
    return fleet.onWatch(List.of(events), nanos(), wall);
  }

  private List<FleetEvent> list(KeyEvent... keys) {
    return fleet.onListing(new Listing(++revision, List.of(keys)), nanos(), wall);
  }

  private List<FleetEvent> write(String node) {
    return watch(KeyEvent.put("/monitor/heartbeat/" + node, beat(node, wall), ++revision));
  }

  private List<FleetEvent> writeStatus(String node, String mode) {
    return watch(KeyEvent.put("/monitor/status/" + node, status(mode), ++revision));
  }

  /** A status without a stated TTL, as agents before heartbeat_ttl wrote it. */
  private List<FleetEvent> writeStatusWithoutTtl(String node, String mode) {
    return watch(KeyEvent.put("/monitor/status/" + node, status(mode, 0), ++revision));
  }

  /** {@code seconds} pass with a progress notification (etcd answering, nothing new) and a tick each second. */
  private List<FleetEvent> quiet(double seconds) {
    List<FleetEvent> out = new ArrayList<>();
    double end = wall + seconds;
    while (wall + 1 <= end + 1e-9) {
      wall += 1;
      out.addAll(watch());
      out.addAll(fleet.onTick(nanos(), wall));
    }
    wall = end;
    return out;
  }

  /** A node written every {@code every} seconds, {@code times} times, the last one now. */
  private void writing(String node, double every, int times) {
    for (int i = 0; i < times; i++) {
      if (i > 0) {
        quiet(every);
      }
      write(node);
    }
  }

  private static List<String> staleness(List<FleetEvent> events) {
    return events.stream().filter(Staleness.class::isInstance).map(Staleness.class::cast)
        .map(s -> s.name() + " " + s.label()).collect(Collectors.toList());
  }

  private boolean isStale(String node) {
    return fleet.nodes().stream().filter(v -> v.node().equals(node)).findFirst().orElseThrow().stale();
  }

  @Test
  void aRefreshNodeSilentForMoreThanThreeCadencesIsStaleOnceAndFreshAgainOnItsNextWrite() {
    list();
    writeStatus("w1", "refresh");
    writing("w1", 2.5, 4);

    assertThat(staleness(quiet(7))).as("within three cadences of 2.5 s").isEmpty();
    assertThat(isStale("w1")).isFalse();
    List<FleetEvent> stale = quiet(2);
    assertThat(staleness(stale)).containsExactly("w1 STALE");
    Staleness s = (Staleness) stale.stream().filter(Staleness.class::isInstance).findFirst().orElseThrow();
    assertThat(s.expected()).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.silence()).isGreaterThan(Duration.ofMillis(7500)).isLessThanOrEqualTo(Duration.ofMillis(8500));
    assertThat(s.revision()).as("its last write").isEqualTo(revision);
    assertThat(s.node().state()).as("a flag, not a state").isEqualTo(NodeState.ALIVE);
    assertThat(s.text()).matches("heartbeat value not rewritten for 8\\.\\d s, expected every 2\\.5 s: "
        + "its lease is kept alive without its agent writing");
    assertThat(stale.get(stale.indexOf(s) + 1)).isInstanceOfSatisfying(NodeChanged.class, c -> assertThat(c.node().stale()).isTrue());
    assertThat(isStale("w1")).isTrue();
    assertThat(staleness(quiet(30))).as("reported once").isEmpty();

    List<FleetEvent> back = write("w1");

    assertThat(staleness(back)).containsExactly("w1 FRESH");
    assertThat(((Staleness) back.get(0)).text()).isEqualTo("heartbeat value rewritten again after 39.0 s");
    assertThat(((Staleness) back.get(0)).revision()).isEqualTo(revision);
    assertThat(back).filteredOn(e -> e instanceof Transition).isEmpty();
    assertThat(back.get(1)).isInstanceOfSatisfying(NodeChanged.class, c -> assertThat(c.node().stale()).isFalse());
    assertThat(isStale("w1")).isFalse();
  }

  @Test
  void withoutAStatedTtlTheCadenceIsLearntFromTheWritesSoANonDefaultTtlIsHeldToItsOwn() {
    list();
    writeStatusWithoutTtl("slow", "refresh");
    writeStatusWithoutTtl("fast", "refresh");
    writing("slow", 10, 3);  // TTL 20 s: rewritten every 10 s

    assertThat(staleness(quiet(29))).as("three cadences of 10 s").isEmpty();
    assertThat(staleness(quiet(2))).containsExactly("slow STALE");

    writing("fast", 1, 4);  // TTL 2 s: rewritten every second; three of them are less than the floor
    assertThat(staleness(quiet(4.5))).as("the 5 s floor").isEmpty();
    assertThat(staleness(quiet(1))).containsExactly("fast STALE");
  }

  @Test
  void aStatedTtlSetsTheCadenceFromTheFirstWriteAndWithoutOneASingleWriteIsNeverJudged() {
    list();
    writeStatus("stated", "refresh");
    writeStatusWithoutTtl("unstated", "refresh");
    writing("stated", 2.5, 1);
    writing("unstated", 2.5, 1);

    assertThat(staleness(quiet(9))).as("TTL 5 s stated: three cadences of 2.5 s; no guess for the other")
        .containsExactly("stated STALE");
    assertThat(staleness(quiet(300))).isEmpty();
    assertThat(isStale("unstated")).isFalse();
  }

  @Test
  void theSmallestRecentIntervalIsTheCadenceAndRewritesWithinASecondAreNotOne() {
    list();
    writeStatus("w1", "refresh");
    writing("w1", 2.5, 2);
    quiet(6);  // one late write: a longer interval
    write("w1");
    wall += 0.2;
    write("w1");  // written again at once (after a revoked lease): not a cadence

    assertThat(staleness(quiet(7.4))).isEmpty();
    assertThat(staleness(quiet(1))).containsExactly("w1 STALE");
  }

  @Test
  void aLeaseModeNodeIsStaleOnlyAfterThreeTimesSixtySeconds() {
    list();
    writeStatus("w1", "lease");
    writing("w1", 60, 2);

    assertThat(staleness(quiet(179))).isEmpty();
    assertThat(staleness(quiet(2))).containsExactly("w1 STALE");
  }

  @Test
  void withoutAStatedModeOnlyAShortObservedCadenceIsJudged() {
    list();
    write("once");           // the lab's agent, seen once: no cadence known
    writing("lab-lease", 60, 2);
    writing("lab-refresh", 2.5, 3);

    assertThat(staleness(quiet(200))).containsExactly("lab-refresh STALE");
  }

  @Test
  void aNodeThatDiesOrLeavesIsNotStaleAndItsDeathIsTheOnlyReport() {
    list();
    writeStatus("w1", "refresh");
    writeStatus("w2", "refresh");
    writing("w1", 2.5, 3);
    write("w2");
    assertThat(staleness(quiet(10))).containsExactlyInAnyOrder("w1 STALE", "w2 STALE");

    List<FleetEvent> dead = watch(KeyEvent.delete("/monitor/heartbeat/w1", ++revision));
    watch(KeyEvent.put("/monitor/heartbeat/w2", Heartbeat.leaving("w2", Instant.ofEpochMilli(Math.round(wall * 1000))).toJson(),
        ++revision));
    List<FleetEvent> left = watch(KeyEvent.delete("/monitor/heartbeat/w2", ++revision));

    assertThat(staleness(dead)).isEmpty();
    assertThat(dead).filteredOn(Transition.class::isInstance).singleElement()
        .satisfies(t -> assertThat(((Transition) t).node().stale()).isFalse());
    assertThat(left).filteredOn(Transition.class::isInstance).singleElement()
        .satisfies(t -> assertThat(((Transition) t).state()).isEqualTo(NodeState.LEFT));
    assertThat(fleet.nodes()).noneMatch(NodeView::stale);
    assertThat(staleness(quiet(60))).as("not judged once gone").isEmpty();

    write("w1");
    assertThat(staleness(quiet(7))).as("back with its history forgotten: the default cadence").isEmpty();
    assertThat(staleness(quiet(1))).containsExactly("w1 STALE");
  }

  @Test
  void silenceCountsOnlyUpToEtcdsLastAnswerSoAPausedMonitorDoesNotCallNodesStale() {
    list();
    writeStatus("w1", "refresh");
    writing("w1", 2.5, 3);

    List<FleetEvent> out = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      wall += 1;
      out.addAll(fleet.onTick(nanos(), wall));
    }

    assertThat(staleness(out)).as("no answer from etcd: nothing is known of the writes").isEmpty();
    assertThat(staleness(watch(KeyEvent.put("/monitor/heartbeat/w1", beat("w1", wall - 1), ++revision)))).isEmpty();
  }

  @Test
  void whileEtcdIsOutOfSightNoNodeTurnsStaleAndTheCountStartsOverWhenItAnswers() {
    list();
    writeStatus("w1", "refresh");
    writing("w1", 2.5, 3);
    wall += 5;
    assertThat(fleet.onSilence(nanos(), "no answer")).isNotEmpty();
    wall += 20;
    assertThat(staleness(fleet.onTick(nanos(), wall))).isEmpty();

    assertThat(staleness(watch())).as("contact restored").isEmpty();
    assertThat(staleness(quiet(7))).isEmpty();
    assertThat(staleness(quiet(1))).containsExactly("w1 STALE");
  }

  @Test
  void aListingSaysFreshOnlyWhenTheKeyWasRewritten() {
    list();
    writeStatus("w1", "refresh");
    writing("w1", 2.5, 3);
    long last = revision;
    quiet(9);
    assertThat(isStale("w1")).isTrue();

    List<FleetEvent> same = fleet.onListing(new Listing(++revision, List.of(KeyEvent.put("/monitor/heartbeat/w1",
        beat("w1", wall - 9), last), KeyEvent.put("/monitor/status/w1", status("refresh"), 1))), nanos(), wall);
    assertThat(staleness(same)).isEmpty();
    assertThat(isStale("w1")).isTrue();

    List<FleetEvent> rewritten = fleet.onListing(new Listing(++revision, List.of(KeyEvent.put("/monitor/heartbeat/w1",
        beat("w1", wall), revision), KeyEvent.put("/monitor/status/w1", status("refresh"), 1))), nanos(), wall);
    assertThat(staleness(rewritten)).containsExactly("w1 FRESH");
    assertThat(isStale("w1")).isFalse();
  }

  @Test
  void aNodeFirstSeenInAListingIsCountedFromTheListing() {
    list(KeyEvent.put("/monitor/status/w1", status("refresh"), ++revision),
        KeyEvent.put("/monitor/heartbeat/w1", beat("w1", T0 - 600), ++revision));

    assertThat(staleness(quiet(7))).isEmpty();
    assertThat(staleness(quiet(1))).containsExactly("w1 STALE");
  }

  @Test
  void theModelAsksForATickAtLeastOnceASecond() {
    list();
    watch();
    assertThat(fleet.nextDeadline().getAsLong() - nanos()).isLessThanOrEqualTo(1_000_000_000L);
    quiet(3);
    assertThat(fleet.nextDeadline().getAsLong() - nanos()).isBetween(1L, 1_000_000_000L);
  }
}
