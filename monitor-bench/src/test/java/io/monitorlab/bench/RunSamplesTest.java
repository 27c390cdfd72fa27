package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RunSamplesTest {
  @Test
  void eachRunKeepsItsMedianAndTheValuesArePooled() {
    RunSamples s = new RunSamples();
    s.add(3);
    s.add(1);
    s.add(2);
    s.endRun();
    s.add(10);
    s.endRun();

    assertThat(s.all()).containsExactly(3.0, 1.0, 2.0, 10.0);
    assertThat(s.runMedians()).containsExactly(2.0, 10.0);
  }

  @Test
  void theDifferenceIsTakenRunByRunAndSkipsARunWithoutAValueOnEitherSide() {
    RunSamples tls = new RunSamples();
    RunSamples plain = new RunSamples();
    tls.add(700);
    plain.add(500);
    tls.endRun();
    plain.endRun();
    tls.miss();
    plain.add(520);
    tls.endRun();
    plain.endRun();
    tls.add(650);
    plain.add(600);
    tls.endRun();
    plain.endRun();

    assertThat(tls.minus(plain)).containsExactly(200.0, 50.0);
    assertThat(tls.missing()).isEqualTo(1);
  }
}
