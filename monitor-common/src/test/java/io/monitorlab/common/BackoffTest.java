package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exponential backoff with jitter: each delay lies in [planned / 2, planned], planned = min(first * 2^(n-1), max). */
@Timeout(10)
class BackoffTest {
  private static final int SAMPLES = 2_000;
  private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

  @Test
  void theDefaultStartsAt200MillisAndStopsAt5Seconds() {
    assertThat(Backoff.DEFAULT.first()).isEqualTo(Duration.ofMillis(200));
    assertThat(Backoff.DEFAULT.max()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theDelayAfterACleanEndIsAtMostHalfTheFirstDelay() {
    for (int i = 0; i < SAMPLES; i++) {
      assertThat(BACKOFF.delay(0)).isBetween(Duration.ofMillis(25), Duration.ofMillis(50));
      assertThat(Backoff.DEFAULT.delay(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, -100, Integer.MIN_VALUE})
  void aNegativeCountIsTreatedAsACleanEnd(int failures) {
    for (int i = 0; i < SAMPLES; i++) {
      assertThat(BACKOFF.delay(failures)).isBetween(Duration.ofMillis(25), Duration.ofMillis(50));
    }
  }

  @Test
  void eachDelayLiesBetweenHalfAndAllOfThePlannedDelay() {
    long[] plannedMillis = {100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000};
    for (int failures = 1; failures <= plannedMillis.length; failures++) {
      Duration planned = Duration.ofMillis(plannedMillis[failures - 1]);
      for (int i = 0; i < SAMPLES; i++) {
        assertThat(BACKOFF.delay(failures)).isBetween(planned.dividedBy(2), planned);
      }
    }
  }

  @Test
  void delaysGrowUntilTheyReachTheMax() {
    // Jitter keeps one delay from always beating the next, but never two steps later (below the cap:
    // delay(6) may reach 3.2 s while the capped delay(8) may be as short as 2.5 s).
    for (int failures = 1; failures <= 5; failures++) {
      for (int i = 0; i < SAMPLES; i++) {
        assertThat(BACKOFF.delay(failures + 2)).isGreaterThanOrEqualTo(BACKOFF.delay(failures));
      }
    }
    assertThat(maxOf(BACKOFF, 1)).isLessThan(maxOf(BACKOFF, 3)).isLessThan(maxOf(BACKOFF, 5)).isLessThan(maxOf(BACKOFF, 7));
  }

  @ParameterizedTest
  @ValueSource(ints = {7, 10, 31, 32, 63, 64, 1000, Integer.MAX_VALUE})
  void manyFailuresNeverWaitLongerThanTheMaxNorLessThanHalfOfIt(int failures) {
    for (int i = 0; i < SAMPLES; i++) {
      assertThat(BACKOFF.delay(failures)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
    }
  }

  @Test
  void delaysAreNeverNegative() {
    Backoff tiny = new Backoff(Duration.ofNanos(1), Duration.ofNanos(3));
    for (int failures = -1; failures < 100; failures++) {
      assertThat(tiny.delay(failures)).isGreaterThanOrEqualTo(Duration.ZERO);
      assertThat(Backoff.DEFAULT.delay(failures)).isGreaterThanOrEqualTo(Duration.ZERO);
    }
  }

  @Test
  void jitterSpreadsTheDelays() {
    long distinct = java.util.stream.IntStream.range(0, 200).mapToObj(i -> BACKOFF.delay(3)).distinct().count();

    assertThat(distinct).isGreaterThan(100);
  }

  @Test
  void aFirstDelayEqualToTheMaxStaysThere() {
    Backoff flat = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));
    for (int failures = 1; failures < 50; failures++) {
      assertThat(flat.delay(failures)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MAX_VALUE, Long.MAX_VALUE - 1, 6_000_000_000_000_000_000L})
  void aMaxOfCenturiesDoesNotOverflow(long maxNanos) {
    Backoff huge = new Backoff(Duration.ofSeconds(1), Duration.ofNanos(maxNanos));
    for (int failures = 1; failures < 100; failures++) {
      Duration planned = failures - 1 < 62 ? Duration.ofSeconds(1L << (failures - 1)) : Duration.ofNanos(maxNanos);
      if (planned.compareTo(Duration.ofNanos(maxNanos)) > 0) {
        planned = Duration.ofNanos(maxNanos);
      }
      assertThat(huge.delay(failures)).as("delay(%d)", failures).isBetween(planned.dividedBy(2), planned);
    }
  }

  @Test
  void refusesAFirstDelayThatIsNotPositive() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backoff first delay must be > 0, got PT0S");
    assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("first delay must be > 0");
  }

  @Test
  void refusesAMaxBelowTheFirstDelay() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backoff max must be >= first delay, got PT1S < PT2S");
  }

  private static Duration maxOf(Backoff backoff, int failures) {
    Duration max = Duration.ZERO;
    for (int i = 0; i < SAMPLES; i++) {
      Duration d = backoff.delay(failures);
      if (d.compareTo(max) > 0) {
        max = d;
      }
    }
    return max;
  }
}
