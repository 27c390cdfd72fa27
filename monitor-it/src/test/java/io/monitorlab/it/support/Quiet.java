package io.monitorlab.it.support;

import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/** Assertions that something does not happen for a while, with Awaitility (no sleeps). */
public final class Quiet {
  private static final Duration POLL = Duration.ofMillis(20);

  private Quiet() {}

  /**
   * Asserts that {@code process} has printed no stdout line matching {@code m}, and prints none for
   * {@code period}; fails as soon as one appears, naming it and when it came.
   */
  public static void assertNoLineFor(RunningProcess process, Match m, Duration period, String during) {
    assertNoLineAfter(process, m, 0, period, during);
  }

  /** Like {@link #assertNoLineFor}, for the lines that come after the ones printed so far. */
  public static void assertNoNewLineFor(RunningProcess process, Match m, Duration period, String during) {
    assertNoLineAfter(process, m, process.stdoutMatching(m).size(), period, during);
  }

  private static void assertNoLineAfter(RunningProcess process, Match m, int allowed, Duration period, String during) {
    long t0 = System.nanoTime();
    try {
      if (period.isNegative() || period.isZero()) {
        if (process.stdoutMatching(m).size() > allowed) {
          throw new TerminalFailureException("a line came");
        }
        return;
      }
      Awaitility.await().during(period).atMost(period.plusSeconds(5)).pollInterval(POLL)
          .failFast(() -> process.stdoutMatching(m).size() > allowed)
          .until(() -> true);
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      List<Line> found = process.stdoutMatching(m);
      if (found.size() > allowed) {
        Line l = found.get(allowed);
        throw new AssertionError(process.name() + " printed \"" + l.text() + "\" " + Timing.seconds(l.since(t0))
            + " after the start of a period of " + Timing.seconds(period) + " " + during + ", where no line " + m
            + " may come", e);
      }
      throw e;
    }
  }

  /** Lets {@code period} pass while checking {@code invariant} all along; fails at once when it breaks. */
  public static void holdFor(Duration period, String what, java.util.function.BooleanSupplier invariant) {
    if (period.isNegative() || period.isZero()) {
      if (!invariant.getAsBoolean()) {
        throw new AssertionError(what + " does not hold");
      }
      return;
    }
    try {
      Awaitility.await().during(period).atMost(period.plusSeconds(5)).pollInterval(POLL)
          .failFast(what, () -> !invariant.getAsBoolean())
          .until(() -> true);
    } catch (TerminalFailureException e) {
      throw new AssertionError(what + " broke within " + Timing.seconds(period), e);
    }
  }
}
