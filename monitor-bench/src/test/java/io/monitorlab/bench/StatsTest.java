package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StatsTest {

  @Test
  void aSingleValueIsEveryStatistic() {
    Stats s = Stats.of(List.of(42.0));

    assertThat(s).isEqualTo(new Stats(1, 42, 42, 42, 42));
  }

  @Test
  void theMedianOfAnEvenSampleIsTheLowerMiddleValueByNearestRank() {
    assertThat(Stats.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.0);
  }

  @Test
  void theMedianOfAnOddSampleIsTheMiddleValue() {
    assertThat(Stats.of(List.of(5.0, 1.0, 3.0)).median()).isEqualTo(3.0);
  }

  @Test
  void theP99OfTwoHundredValuesIsTheHundredNinetyEighthSmallest() {
    List<Double> values = shuffled(IntStream.rangeClosed(1, 200).mapToObj(i -> (double) i).toList());

    Stats s = Stats.of(values);

    assertThat(s.p99()).isEqualTo(198.0);
    assertThat(s.median()).isEqualTo(100.0);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.max()).isEqualTo(200.0);
  }

  @Test
  void theP99OfFewerThanAHundredValuesIsTheMax() {
    List<Double> values = IntStream.rangeClosed(1, 99).mapToObj(i -> (double) i).toList();

    assertThat(Stats.of(values).p99()).isEqualTo(99.0);
  }

  @Test
  void theP99OfExactlyAHundredValuesIsTheNinetyNinthSmallest() {
    List<Double> values = IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();

    assertThat(Stats.of(values).p99()).isEqualTo(99.0);
  }

  @Test
  void percentilesAreAlwaysMeasuredValues() {
    double[] sorted = {1.5, 2.5, 10.0};

    assertThat(Stats.percentile(sorted, 0)).isEqualTo(1.5);
    assertThat(Stats.percentile(sorted, 33.3)).isEqualTo(1.5);
    assertThat(Stats.percentile(sorted, 33.4)).isEqualTo(2.5);
    assertThat(Stats.percentile(sorted, 66.7)).isEqualTo(10.0);
    assertThat(Stats.percentile(sorted, 100)).isEqualTo(10.0);
  }

  @Test
  void negativeAndRepeatedValuesAreOrderedLikeAnyOther() {
    Stats s = Stats.of(List.of(-2.0, 5.0, -2.0, 0.0, 5.0));

    assertThat(s).isEqualTo(new Stats(5, -2, 0, 5, 5));
  }

  @Test
  void integersAreAcceptedAsValues() {
    assertThat(Stats.of(List.of(3, 1, 2)).median()).isEqualTo(2.0);
  }

  @Test
  void anEmptySampleHasNoStatistics() {
    assertThatThrownBy(() -> Stats.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no values: statistics need at least one");
  }

  @Test
  void aNaNValueIsRefusedWithItsPosition() {
    assertThatThrownBy(() -> Stats.of(List.of(1.0, Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value 1 is NaN");
  }

  @Test
  void aPercentileOutsideZeroToAHundredIsRefused() {
    assertThatThrownBy(() -> Stats.percentile(new double[] {1}, 101))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percentile must be from 0 to 100, got 101.0");
  }

  private static List<Double> shuffled(List<Double> values) {
    List<Double> copy = new ArrayList<>(values);
    Collections.shuffle(copy, new java.util.Random(7));
    return copy;
  }
}
