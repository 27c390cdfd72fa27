package io.monitorlab.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.server.fleet.AliveSet.Kind;
import io.monitorlab.server.fleet.AliveSet.Transition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AliveSetTest {
  private static final String ALIVE_A = "{\"status\": \"alive\", \"ts\": 1732400000.123456, \"hostname\": \"as-a\"}";
  private static final String LEAVING_A = "{\"status\": \"leaving\", \"ts\": 1732400001.5, \"hostname\": \"as-a\"}";

  private final AliveSet set = new AliveSet();

  @Test
  void aFirstPutMakesTheNodeAlive() {
    assertThat(set.put("as-first", ALIVE_A, 5))
        .containsExactly(new Transition("as-first", Kind.ALIVE, ALIVE_A, 5));
    assertThat(set.alive()).containsExactly("as-first");
    assertThat(set.isPresent("as-first")).isTrue();
  }

  @Test
  void aRefreshOfAnAliveNodeIsNotATransition() {
    set.put("as-refresh", ALIVE_A, 5);

    assertThat(set.put("as-refresh", ALIVE_A.replace("1732400000.123456", "1732400002.5"), 6)).isEmpty();
    assertThat(set.put("as-refresh", ALIVE_A, 7)).isEmpty();
    assertThat(set.alive()).containsExactly("as-refresh");
  }

  @Test
  void aDeleteOfAnAliveNodeIsADeath() {
    set.put("as-dead", ALIVE_A, 5);

    assertThat(set.delete("as-dead", 9)).containsExactly(new Transition("as-dead", Kind.DEAD, "", 9));
    assertThat(set.alive()).isEmpty();
    assertThat(set.isPresent("as-dead")).isFalse();
  }

  @Test
  void aDeleteAfterALeavingPutIsADeparture() {
    set.put("as-left", ALIVE_A, 5);

    assertThat(set.put("as-left", LEAVING_A, 6)).isEmpty();
    assertThat(set.delete("as-left", 7)).containsExactly(new Transition("as-left", Kind.LEFT, "", 7));
    assertThat(set.alive()).isEmpty();
  }

  @Test
  void aNodeFirstSeenLeavingIsNeitherAnnouncedNorCountedNorReportedWhenItGoes() {
    assertThat(set.put("as-only-leaving", LEAVING_A, 5)).isEmpty();
    assertThat(set.alive()).isEmpty();
    assertThat(set.delete("as-only-leaving", 6)).isEmpty();
  }

  @Test
  void aRegisteredNodeWithoutAHeartbeatIsReportedMissingOnce() {
    set.put("as-present", ALIVE_A, 3);

    assertThat(set.missing(List.of("as-present", "as-z-missing", "as-m-missing"), 4)).containsExactly(
        new Transition("as-m-missing", Kind.MISSING, "", 4), new Transition("as-z-missing", Kind.MISSING, "", 4));
    assertThat(set.missing(List.of("as-m-missing"), 5)).isEmpty();
    assertThat(set.alive()).containsExactly("as-present");

    set.put("as-m-missing", ALIVE_A, 6);
    set.delete("as-m-missing", 7);
    assertThat(set.missing(List.of("as-m-missing"), 8)).as("its death was reported by the delete").isEmpty();
  }

  @Test
  void aNodeAlreadyReportedDeadIsNotReportedMissingByALaterListing() {
    set.put("as-died", ALIVE_A, 3);
    set.delete("as-died", 4);

    assertThat(set.missing(List.of("as-died"), 5)).isEmpty();
  }

  @Test
  void aLeavingNodeThatComesBackAliveDiesAsADeathLater() {
    set.put("as-back", ALIVE_A, 5);
    set.put("as-back", LEAVING_A, 6);

    assertThat(set.put("as-back", ALIVE_A, 7)).as("it never went away, so no second ALIVE").isEmpty();
    assertThat(set.delete("as-back", 8)).containsExactly(new Transition("as-back", Kind.DEAD, "", 8));
  }

  @Test
  void aNodeIsAliveAgainAfterItDiedOrLeft() {
    set.put("as-again", ALIVE_A, 5);
    set.delete("as-again", 6);
    assertThat(set.put("as-again", ALIVE_A, 7)).containsExactly(new Transition("as-again", Kind.ALIVE, ALIVE_A, 7));

    set.put("as-again", LEAVING_A, 8);
    set.delete("as-again", 9);
    assertThat(set.put("as-again", ALIVE_A, 10)).containsExactly(new Transition("as-again", Kind.ALIVE, ALIVE_A, 10));
  }

  @Test
  void aDeleteOfAnUnknownNodeIsNotATransition() {
    assertThat(set.delete("as-unknown", 3)).isEmpty();

    set.put("as-known", ALIVE_A, 4);
    set.delete("as-known", 5);
    assertThat(set.delete("as-known", 6)).as("a second delete").isEmpty();
  }

  @Test
  void aValueThatIsNotJsonStillCountsAsAlive() {
    for (String odd : List.of("not json", "", "[1, 2]", "\"leaving\"", "{\"status\": 7}", "{\"ts\": \"x\"}")) {
      AliveSet fresh = new AliveSet();

      assertThat(fresh.put("as-odd", odd, 1)).as(odd).containsExactly(new Transition("as-odd", Kind.ALIVE, odd, 1));
      assertThat(fresh.delete("as-odd", 2)).as(odd).containsExactly(new Transition("as-odd", Kind.DEAD, "", 2));
    }
  }

  @Test
  void reconcileReportsVanishedNodesFirstThenNewOnesInNameOrder() {
    set.put("as-r-gone", ALIVE_A, 1);
    set.put("as-r-kept", ALIVE_A, 2);
    set.put("as-r-leaving", ALIVE_A, 3);
    set.put("as-r-leaving", LEAVING_A, 4);
    Map<String, String> listing = new LinkedHashMap<>();
    listing.put("as-r-new2", ALIVE_A);
    listing.put("as-r-kept", ALIVE_A);
    listing.put("as-r-new1", ALIVE_A);

    assertThat(set.reconcile(listing, 20)).containsExactly(
        new Transition("as-r-gone", Kind.DEAD, "", 20),
        new Transition("as-r-leaving", Kind.LEFT, "", 20),
        new Transition("as-r-new1", Kind.ALIVE, ALIVE_A, 20),
        new Transition("as-r-new2", Kind.ALIVE, ALIVE_A, 20));
    assertThat(set.alive()).containsExactly("as-r-kept", "as-r-new1", "as-r-new2");
  }

  @Test
  void reconcileWithTheSameListingReportsNothing() {
    Map<String, String> listing = Map.of("as-same1", ALIVE_A, "as-same2", ALIVE_A);
    assertThat(set.reconcile(listing, 1)).hasSize(2);

    assertThat(set.reconcile(listing, 2)).isEmpty();
    assertThat(set.reconcile(Map.of(), 3)).extracting(Transition::kind).containsExactly(Kind.DEAD, Kind.DEAD);
    assertThat(set.alive()).isEmpty();
  }

  @Test
  void reconcileKeepsTheLeavingFlagOfAListedNode() {
    set.put("as-r-flag", ALIVE_A, 1);
    set.reconcile(Map.of("as-r-flag", LEAVING_A), 2);

    assertThat(set.delete("as-r-flag", 3)).extracting(Transition::kind).containsExactly(Kind.LEFT);
  }

  @Test
  void aliveIsSortedByName() {
    for (String node : List.of("as-s-b", "as-s-c", "AS-S-Z", "as-s-a", "as-s-10", "as-s-9")) {
      set.put(node, ALIVE_A, 1);
    }

    assertThat(set.alive()).containsExactly("AS-S-Z", "as-s-10", "as-s-9", "as-s-a", "as-s-b", "as-s-c");
  }
}
