package io.monitorlab.common.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.test.TlsNamedCases;
import org.junit.jupiter.api.Test;

class TlsWarmUpTest {
  @Test
  void aTlsOptionAnHttpsEndpointOrAnEtcdctlTlsVariableNameTlsAndNothingElseDoes() {
    for (TlsNamedCases c : TlsNamedCases.ALL) {
      assertThat(TlsWarmUp.named(c.args().toArray(String[]::new), c.env())).as("%s with %s", c.args(), c.env()).isEqualTo(c.tls());
    }
  }
}
