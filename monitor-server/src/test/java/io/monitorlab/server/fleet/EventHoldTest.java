package io.monitorlab.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.Heartbeat;
import io.monitorlab.server.fleet.EventHold.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EventHoldTest {
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final double T0 = 1_800_000_000.0;

  private final EventHold hold = new EventHold(GRACE);
  private long revision;

  /** Writes at the agent's default cadence (every 2.5 s); the wall clock and nanoTime run together from T0. */
  private void beats(String node, int count, double from) {
    for (int i = 0; i < count; i++) {
      double t = from + 2.5 * i;
      assertThat(hold.offer(put(node, t), nanos(t), t)).hasSize(1);
    }
  }

  private Event put(String node, double t) {
    return new Event(node, false, Heartbeat.alive(node, instant(t)).toJson(), ++revision);
  }

  private Event leaving(String node, double t) {
    return new Event(node, false, Heartbeat.leaving(node, instant(t)).toJson(), ++revision);
  }

  private Event delete(String node) {
    return new Event(node, true, "", ++revision);
  }

  private static Instant instant(double t) {
    return Instant.ofEpochMilli(Math.round(t * 1000));
  }

  private static long nanos(double t) {
    return Math.round((t - T0) * 1e9);
  }

  private List<Event> offerAt(Event e, double t) {
    return hold.offer(e, nanos(t), t);
  }

  @Test
  void aDeletionAWholeTtlAfterTheLastWriteIsAnExpiryAndPassesAtOnce() {
    beats("w1", 3, T0);
    Event del = delete("w1");
    assertThat(offerAt(del, T0 + 5 + 5.2)).containsExactly(del);
    assertThat(hold.nextDeadline()).isEmpty();
  }

  @Test
  void aDeletionTooSoonAfterTheLastWriteIsHeldAndDroppedWhenTheNodeWritesAgain() {
    beats("w1", 3, T0);
    double last = T0 + 5;
    assertThat(offerAt(delete("w1"), last + 0.4)).isEmpty();
    assertThat(hold.nextDeadline()).hasValue(nanos(last + 0.4) + GRACE.toNanos());

    Event again = put("w1", last + 0.7);
    assertThat(offerAt(again, last + 0.7)).containsExactly(again);
    List<EventHold.Kept> kept = hold.drainKept();
    assertThat(kept).hasSize(1);
    assertThat(kept.get(0).node()).isEqualTo("w1");
    assertThat(kept.get(0).putRevision()).isEqualTo(again.revision());
    assertThat(kept.get(0).deleteRevision()).isEqualTo(again.revision() - 1);
    assertThat(kept.get(0).after()).isCloseTo(Duration.ofMillis(300), Duration.ofMillis(1));
    assertThat(kept.get(0).sinceLastWrite()).isCloseTo(Duration.ofMillis(400), Duration.ofMillis(1));
    assertThat(hold.drainKept()).isEmpty();
    assertThat(hold.nextDeadline()).isEmpty();
  }

  @Test
  void aNodeKeepsItsCadenceAfterWritingItsKeyAgainSoASecondDeletionRightAfterIsHeldToo() {
    beats("w1", 3, T0);
    double last = T0 + 5;
    offerAt(delete("w1"), last + 0.5);
    offerAt(put("w1", last + 0.6), last + 0.6);
    assertThat(hold.drainKept()).hasSize(1);

    assertThat(offerAt(delete("w1"), last + 0.7)).as("held again").isEmpty();
    offerAt(put("w1", last + 0.75), last + 0.75);
    assertThat(hold.drainKept()).hasSize(1);
    assertThat(hold.nextDeadline()).isEmpty();
  }

  @Test
  void aHeldDeletionTheNodeDoesNotUndoPassesWhenTheGraceEndsWithTheEventsBehindItInOrder() {
    beats("w1", 3, T0);
    beats("w2", 3, T0 + 1);
    double at = T0 + 5.5;
    Event del = delete("w1");
    assertThat(offerAt(del, at)).isEmpty();
    Event other = put("w2", at + 0.1);
    assertThat(offerAt(other, at + 0.1)).as("waits behind the held deletion").isEmpty();

    assertThat(hold.release(nanos(at + 0.99))).isEmpty();
    assertThat(hold.release(nanos(at + 1.0))).containsExactly(del, other);
    assertThat(hold.drainKept()).isEmpty();
    Event later = put("w1", at + 1.5);
    assertThat(offerAt(later, at + 1.5)).as("a new registration after the grace is an ordinary put").containsExactly(later);
    assertThat(hold.drainKept()).isEmpty();
  }

  @Test
  void theDeletionAfterALeavingHeartbeatIsNeverHeld() {
    beats("w1", 3, T0);
    assertThat(offerAt(leaving("w1", T0 + 5.1), T0 + 5.1)).hasSize(1);
    assertThat(offerAt(delete("w1"), T0 + 5.2)).hasSize(1);
  }

  @Test
  void nodesWritingRarelyOrInBurstsOrOnlyOnceAreNeverHeld() {
    offerAt(put("lease-mode", T0), T0);
    offerAt(put("lease-mode", T0 + 60), T0 + 60);
    assertThat(offerAt(delete("lease-mode"), T0 + 61)).as("a 60 s cadence says nothing about the TTL").hasSize(1);

    offerAt(put("burst", T0 + 61), T0 + 61);
    offerAt(put("burst", T0 + 61.05), T0 + 61.05);
    assertThat(offerAt(delete("burst"), T0 + 61.06)).as("no steady cadence").hasSize(1);

    offerAt(put("once", T0 + 62), T0 + 62);
    assertThat(offerAt(delete("once"), T0 + 62.1)).as("no cadence yet").hasSize(1);

    offerAt(new Event("junk", false, "not json", ++revision), T0 + 63);
    assertThat(offerAt(delete("junk"), T0 + 63.1)).hasSize(1);
  }

  @Test
  void eventsDeliveredLateInABurstAreJudgedOnTheNodesClockNotOnArrival() {
    beats("w1", 3, T0);
    // The monitor was frozen: the last put and the deletion arrive together 30 s later.
    assertThat(offerAt(delete("w1"), T0 + 35)).hasSize(1);
  }

  @Test
  void releasingEverythingEmptiesTheHoldInOrder() {
    beats("w1", 3, T0);
    Event del = delete("w1");
    offerAt(del, T0 + 5.3);
    Event other = put("w9", T0 + 5.4);
    offerAt(other, T0 + 5.4);
    assertThat(hold.releaseAll()).containsExactly(del, other);
    assertThat(hold.nextDeadline()).isEmpty();
  }
}
