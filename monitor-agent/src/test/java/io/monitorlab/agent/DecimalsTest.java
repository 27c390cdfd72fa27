package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DecimalsTest {
  @Test
  void writesWhatFormatWritesForTheLinesNumbers() {
    assertThat(Decimals.fixed(12.34, 1)).isEqualTo("12.3");
    assertThat(Decimals.fixed(0.4, 2)).isEqualTo("0.40");
    assertThat(Decimals.fixed(0.05, 2)).isEqualTo("0.05");
    assertThat(Decimals.fixed(99.95, 1)).isEqualTo(String.format(Locale.ROOT, "%.1f", 99.95));
    assertThat(Decimals.fixed(0, 1)).isEqualTo("0.0");
    assertThat(Decimals.fixed(-0.01, 1)).as("no negative zero").isEqualTo("0.0");
    assertThat(Decimals.fixed(-1.25, 1)).isEqualTo("-1.3");
    assertThat(Decimals.fixed(7, 0)).isEqualTo("7");
    assertThat(Decimals.fixed(Double.NaN, 1)).isEqualTo("NaN");
    for (double v = 0; v < 50; v += 0.37) {
      assertThat(Decimals.fixed(v, 2)).isEqualTo(String.format(Locale.ROOT, "%.2f", v));
    }
  }
}
