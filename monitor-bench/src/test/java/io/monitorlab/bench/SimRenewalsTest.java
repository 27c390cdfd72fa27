package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SimRenewalsTest {
  private static final long MS = 1_000_000L;
  private static final long GRANT = 1_000 * MS;

  private final SimRenewals renewals = new SimRenewals();
  private final SimLease lease = new SimLease("n1", 0, 7, 5, GRANT);

  @Test
  void renewalsAnsweredEveryHalfTtlKeepTheGapBelowTheTtl() {
    long t = GRANT;
    for (int i = 0; i < 4; i++) {
      t += 2_500 * MS;
      renewals.sending(lease, t, t, true);
      renewals.answered(lease, t, 5, t + 20 * MS);
    }
    SimStats.Renewals s = renewals.stats(List.of(lease), t + 100 * MS);
    assertThat(s.sent()).isEqualTo(4);
    assertThat(s.answered()).isEqualTo(4);
    assertThat(s.missed()).isZero();
    assertThat(s.maxGapMs()).isEqualTo(2_520.0);
    assertThat(s.atRiskNodes()).isEmpty();
    assertThat(s.rttP99Ms()).isEqualTo(20.0);
  }

  @Test
  void aRenewalStillPendingWhenTheNextFallsDueIsMissedOnce() {
    long first = GRANT + 2_500 * MS;
    renewals.sending(lease, first, first, true);
    long second = first + 2_500 * MS;
    renewals.sending(lease, second, second, true);
    renewals.failed(lease, first);
    renewals.answered(lease, second, 5, second + 10 * MS);
    assertThat(renewals.stats(List.of(), second).missed()).isEqualTo(1);
  }

  @Test
  void aFailedRenewalIsMissedAndAnUnsentOneToo() {
    long first = GRANT + 2_500 * MS;
    renewals.sending(lease, first, first, true);
    renewals.failed(lease, first);
    long second = first + 2_500 * MS;
    renewals.sending(lease, second, second, false);
    SimStats.Renewals s = renewals.stats(List.of(), second);
    assertThat(s.missed()).isEqualTo(2);
    assertThat(s.unsent()).isEqualTo(1);
  }

  @Test
  void aLeaseUnrenewedForTheTtlIsAtRiskEvenWithoutAnAnswer() {
    long late = GRANT + 5_000 * MS;
    renewals.sending(lease, GRANT + 2_500 * MS, late, true);
    assertThat(renewals.stats(List.of(lease), late).atRiskNodes()).containsExactly("n1");
    assertThat(renewals.stats(List.of(lease), late).lagMaxMs()).isEqualTo(2_500.0);
  }

  @Test
  void theGapIsMeasuredFromTheSendOfThePreviousAnsweredRenewal() {
    long first = GRANT + 2_500 * MS;
    renewals.sending(lease, first, first, true);
    renewals.answered(lease, first, 5, first + 1_000 * MS);
    long second = first + 2_500 * MS;
    renewals.sending(lease, second, second, true);
    renewals.answered(lease, second, 5, second + 2_600 * MS);
    // etcd renewed no earlier than the first send and no later than the second answer: 5.1 s apart at most.
    SimStats.Renewals s = renewals.stats(List.of(), second + 2_600 * MS);
    assertThat(s.maxGapMs()).isEqualTo(5_100.0);
    assertThat(s.atRiskNodes()).containsExactly("n1");
  }

  @Test
  void aZeroTtlAnswerMeansTheLeaseIsLost() {
    long first = GRANT + 2_500 * MS;
    renewals.sending(lease, first, first, true);
    renewals.answered(lease, first, 0, first + 5 * MS);
    assertThat(lease.lost).isTrue();
    assertThat(renewals.stats(List.of(), first).lostNodes()).containsExactly("n1");
  }
}
