package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MsHistogramTest {
  private static final long MS = 1_000_000L;

  @Test
  void anEmptyHistogramHasNoPercentiles() {
    MsHistogram h = new MsHistogram(100);
    assertThat(h.percentileMs(50)).isNaN();
    assertThat(h.maxMs()).isNaN();
  }

  @Test
  void percentilesAreNearestRankRoundedUpToTheMillisecond() {
    MsHistogram h = new MsHistogram(100);
    for (int i = 0; i < 99; i++) {
      h.add(2 * MS + 300_000);
    }
    h.add(50 * MS);
    assertThat(h.percentileMs(50)).isEqualTo(3.0);
    assertThat(h.percentileMs(99)).isEqualTo(3.0);
    assertThat(h.percentileMs(100)).isEqualTo(50.0);
    assertThat(h.maxMs()).isEqualTo(50.0);
  }

  @Test
  void valuesBeyondTheBoundKeepTheirExactMaximum() {
    MsHistogram h = new MsHistogram(10);
    h.add(12_345 * MS);
    h.add(-5);
    assertThat(h.count()).isEqualTo(2);
    assertThat(h.percentileMs(100)).isEqualTo(11.0);
    assertThat(h.maxMs()).isEqualTo(12_345.0);
  }
}
