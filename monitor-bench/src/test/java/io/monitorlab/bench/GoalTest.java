package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GoalTest {
  private static final Goal DEAD = Goal.unit(Units.MS).median(4500).p99(5600).max(6000);

  @Test
  void aFigureWithinEveryBoundPasses() {
    assertThat(DEAD.verdict(Stats.of(List.of(4000.0, 4500.0, 5600.0)), 0)).isEqualTo(Goal.Verdict.PASS);
  }

  @Test
  void aBoundIsInclusive() {
    assertThat(Goal.unit(Units.MS).max(6000).verdict(Stats.of(List.of(6000.0)), 0)).isEqualTo(Goal.Verdict.PASS);
  }

  @Test
  void oneBrokenBoundFailsTheFigure() {
    assertThat(DEAD.verdict(Stats.of(List.of(4000.0, 6001.0)), 0)).isEqualTo(Goal.Verdict.FAIL);
  }

  @Test
  void aMissingTrialFailsTheFigureWhateverTheValues() {
    assertThat(DEAD.verdict(Stats.of(List.of(4000.0)), 1)).isEqualTo(Goal.Verdict.FAIL);
  }

  @Test
  void nothingMeasuredFailsAGoal() {
    assertThat(DEAD.verdict(null, 0)).isEqualTo(Goal.Verdict.FAIL);
  }

  @Test
  void aFigureWithoutBoundsIsOnlyInformation() {
    assertThat(Goal.measureOnly().verdict(null, 3)).isEqualTo(Goal.Verdict.INFO);
    assertThat(Goal.measureOnly().text()).isEqualTo("measure");
  }

  @Test
  void aMissedStretchNeverFailsTheFigure() {
    Goal rss = Goal.unit(Units.MB).median(64).stretch(48);
    Stats s = Stats.of(List.of(50.0));

    assertThat(rss.verdict(s, 0)).isEqualTo(Goal.Verdict.PASS);
    assertThat(rss.stretchMet(s)).isFalse();
  }

  @Test
  void theGoalReadsAsItsBoundsWithUnits() {
    assertThat(DEAD.text()).isEqualTo("p50 <= 4500 ms, p99 <= 5600 ms, max <= 6000 ms");
    assertThat(Goal.unit(Units.MS).p99(10).text()).isEqualTo("p99 <= 10.0 ms");
    assertThat(Goal.unit(Units.PERCENT).median(0.3).text()).isEqualTo("p50 <= 0.30 %");
  }
}
