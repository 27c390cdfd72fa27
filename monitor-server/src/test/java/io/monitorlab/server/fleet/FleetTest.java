package io.monitorlab.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Registration;
import io.monitorlab.server.fleet.FleetEvent.ContactLost;
import io.monitorlab.server.fleet.FleetEvent.ContactRestored;
import io.monitorlab.server.fleet.FleetEvent.Listed;
import io.monitorlab.server.fleet.FleetEvent.MassVanish;
import io.monitorlab.server.fleet.FleetEvent.NodeChanged;
import io.monitorlab.server.fleet.FleetEvent.NodeForgotten;
import io.monitorlab.server.fleet.FleetEvent.NodeKept;
import io.monitorlab.server.fleet.FleetEvent.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FleetTest {
  private static final double T0 = 1_800_000_000.0;
  private static final Duration LOST_AFTER = Duration.ofSeconds(3);

  private final Fleet fleet = new Fleet(Duration.ofSeconds(1), LOST_AFTER, 0);
  private long revision;
  private double wall = T0;

  private static String beat(String node, double t) {
    return Heartbeat.alive(node, Instant.ofEpochMilli(Math.round(t * 1000))).toJson();
  }

  private static String leaving(String node, double t) {
    return Heartbeat.leaving(node, Instant.ofEpochMilli(Math.round(t * 1000))).toJson();
  }

  private KeyEvent put(String key, String value) {
    return KeyEvent.put(key, value, ++revision);
  }

  private KeyEvent del(String key) {
    return KeyEvent.delete(key, ++revision);
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

  private static List<String> transitions(List<FleetEvent> events) {
    return events.stream().filter(e -> e instanceof Transition).map(e -> (Transition) e)
        .map(t -> t.name() + " " + t.state() + " " + t.reason() + " " + t.source()).collect(Collectors.toList());
  }

  private static <T> List<T> only(List<FleetEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
  }

  @Test
  void theFirstListingReportsEveryPresentNodeAliveAndThenOneListed() {
    List<FleetEvent> out = list(put("/monitor/heartbeat/w2", beat("w2", T0)), put("/monitor/heartbeat/w1", beat("w1", T0)));

    assertThat(transitions(out)).containsExactly("w1 ALIVE LISTED LIST", "w2 ALIVE LISTED LIST");
    assertThat(out.get(out.size() - 1)).isEqualTo(new Listed(revision, 2, true, List.of("w1", "w2")));
    Transition first = only(out, Transition.class).get(0);
    assertThat(first.value()).isEqualTo(beat("w1", T0));
    assertThat(first.node().since()).isEqualTo(T0);
    assertThat(first.node().lastHeartbeat()).isEqualTo(T0);
  }

  @Test
  void aWatchedExpiryIsDeadBecauseTheLeaseExpiredAndARefreshIsOnlyAChange() {
    list();
    assertThat(transitions(watch(put("/monitor/heartbeat/w1", beat("w1", T0))))).containsExactly("w1 ALIVE WRITTEN WATCH");
    wall += 2.5;
    List<FleetEvent> refresh = watch(put("/monitor/heartbeat/w1", beat("w1", wall)));
    assertThat(transitions(refresh)).isEmpty();
    assertThat(only(refresh, NodeChanged.class)).singleElement()
        .satisfies(c -> assertThat(c.node().lastHeartbeat()).isEqualTo(T0 + 2.5));
    wall += 5;
    assertThat(transitions(watch(del("/monitor/heartbeat/w1")))).containsExactly("w1 DEAD EXPIRED WATCH");
    assertThat(fleet.nodes()).singleElement().satisfies(v -> {
      assertThat(v.state()).isEqualTo(NodeState.DEAD);
      assertThat(v.since()).isEqualTo(wall);
      assertThat(v.lastHeartbeat()).as("the last heartbeat is kept").isEqualTo(T0 + 2.5);
    });
  }

  @Test
  void aDeathFoundByAListingSaysSoAndIsNotCalledAnExpiry() {
    list(put("/monitor/heartbeat/w1", beat("w1", T0)));

    assertThat(transitions(list())).containsExactly("w1 DEAD RELISTED LIST");
  }

  @Test
  void aRegisteredNodeWithoutHeartbeatIsMissingOnceAndLeftRegistrationsAreLeftWithoutATransition() {
    List<FleetEvent> out = list(put("/monitor/nodes/w1", Registration.active("w1", Instant.EPOCH).toJson()),
        put("/monitor/nodes/w2", Registration.left("w2", Instant.ofEpochSecond(100)).toJson()));

    assertThat(transitions(out)).containsExactly("w1 MISSING MISSING LIST");
    assertThat(fleet.nodes()).extracting(NodeView::node, NodeView::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("w1", NodeState.MISSING),
            org.assertj.core.groups.Tuple.tuple("w2", NodeState.LEFT));
    assertThat(fleet.nodes().get(1).since()).isEqualTo(100.0);
    assertThat(transitions(list(put("/monitor/nodes/w1", Registration.active("w1", Instant.EPOCH).toJson())))).isEmpty();
  }

  @Test
  void aGracefulDepartureIsLeft() {
    list();
    watch(put("/monitor/heartbeat/w1", beat("w1", T0)));
    watch(put("/monitor/heartbeat/w1", leaving("w1", T0 + 1)));

    assertThat(transitions(watch(del("/monitor/heartbeat/w1")))).containsExactly("w1 LEFT LEFT WATCH");
  }

  @Test
  void forgettingANodeWithoutHeartbeatDropsItAndAnAliveOneStays() {
    list(put("/monitor/nodes/w1", Registration.active("w1", Instant.EPOCH).toJson()),
        put("/monitor/nodes/w2", Registration.active("w2", Instant.EPOCH).toJson()),
        put("/monitor/heartbeat/w2", beat("w2", T0)));

    List<FleetEvent> out = watch(del("/monitor/nodes/w1"), del("/monitor/nodes/w2"));

    assertThat(only(out, NodeForgotten.class)).extracting(NodeForgotten::node).containsExactly("w1");
    assertThat(fleet.nodes()).extracting(NodeView::node).containsExactly("w2");
  }

  @Test
  void configStatusAndMetricsChangeTheNodeViewWithoutATransition() {
    list(put("/monitor/heartbeat/w1", beat("w1", T0)));
    AgentStatus status = new AgentStatus(0, T0, null, null, "1.0", T0, "refresh");

    List<FleetEvent> out = watch(put("/monitor/config/w1", "{\"interval\": 2, \"metrics\": [\"cpu\"]}"),
        put("/monitor/status/w1", status.applied(revision, T0 + 1).toJson()),
        put("/monitor/metrics/w1", "{\"ts\": 1.5, \"cpu\": {\"usage_ratio\": 0.25}}"));

    assertThat(transitions(out)).isEmpty();
    assertThat(only(out, NodeChanged.class)).hasSize(3);
    NodeView v = fleet.nodes().get(0);
    assertThat(v.desiredRevision()).isEqualTo(revision - 2);
    assertThat(v.config().tree().get("interval").asInt()).isEqualTo(2);
    assertThat(v.status().configRevision()).isEqualTo(revision - 2);
    assertThat(v.metrics().tree().path("cpu").path("usage_ratio").asDouble()).isEqualTo(0.25);
  }

  @Test
  void aConfigForANodeNotSeenYetIsKeptButDoesNotMakeItAppear() {
    list(put("/monitor/config/later", "{\"interval\": 3, \"metrics\": []}"));
    assertThat(fleet.nodes()).isEmpty();

    watch(put("/monitor/heartbeat/later", beat("later", T0)));

    assertThat(fleet.nodes()).singleElement().satisfies(v -> assertThat(v.desiredRevision()).isEqualTo(1));
  }

  @Test
  void silenceMakesAliveNodesUnknownOnceAndAnAnswerRestoresThem() {
    list(put("/monitor/heartbeat/w1", beat("w1", T0)));
    wall += 1;
    assertThat(fleet.onSilence(nanos(), "no answer")).isEmpty();
    wall += 3;

    List<FleetEvent> lost = fleet.onSilence(nanos(), "no answer");
    assertThat(lost.get(0)).isInstanceOfSatisfying(ContactLost.class, c -> assertThat(c.unknown()).containsExactly("w1"));
    assertThat(only(lost, NodeChanged.class)).singleElement()
        .satisfies(c -> assertThat(c.node().state()).isEqualTo(NodeState.UNKNOWN));
    assertThat(fleet.onSilence(nanos() + 1, "no answer")).as("reported once").isEmpty();

    List<FleetEvent> back = watch();
    assertThat(back.get(0)).isInstanceOf(ContactRestored.class);
    assertThat(only(back, NodeChanged.class)).singleElement()
        .satisfies(c -> assertThat(c.node().state()).isEqualTo(NodeState.ALIVE));
  }

  @Test
  void aDeletionTooSoonForAnExpiryThatTheNodeUndoesIsKeptNotDead() {
    list();
    for (int i = 0; i < 3; i++) {
      watch(put("/monitor/heartbeat/w1", beat("w1", wall)));
      wall += 2.5;
    }
    wall -= 2.0;
    List<FleetEvent> held = watch(del("/monitor/heartbeat/w1"));
    assertThat(transitions(held)).isEmpty();
    wall += 0.2;

    List<FleetEvent> back = watch(put("/monitor/heartbeat/w1", beat("w1", wall)));

    assertThat(only(back, NodeKept.class)).hasSize(1);
    assertThat(transitions(back)).isEmpty();
    wall += 2;
    assertThat(fleet.onTick(nanos(), wall)).isEmpty();
  }

  @Test
  void moreThanHalfVanishingAtOnceIsFlaggedBeforeTheDeaths() {
    list(put("/monitor/heartbeat/a", beat("a", T0)), put("/monitor/heartbeat/b", beat("b", T0)),
        put("/monitor/heartbeat/c", beat("c", T0)));

    List<FleetEvent> out = watch(del("/monitor/heartbeat/a"), del("/monitor/heartbeat/b"));

    assertThat(out.get(0)).isEqualTo(new MassVanish(2, 3));
    assertThat(transitions(out)).containsExactly("a DEAD EXPIRED WATCH", "b DEAD EXPIRED WATCH");
  }

  @Test
  void foreignKeysAndValuesNeverThrow() {
    List<FleetEvent> out = new ArrayList<>(list(put("/monitor/heartbeat/", "not json"),
        put("/monitor/status/x", "[1, 2]"), put("/monitor/metrics/x", "{\"ts\": \"no\"}"),
        put("/monitor/nodes/x", "garbage")));
    out.addAll(watch(put("/monitor/heartbeat/a b", "{}"), put("/monitor/config/a b", "\u0000")));

    assertThat(transitions(out)).contains(" ALIVE LISTED LIST", "a b ALIVE WRITTEN WATCH");
    assertThat(fleet.nodes()).extracting(NodeView::node).contains("", "a b", "x");
  }
}
