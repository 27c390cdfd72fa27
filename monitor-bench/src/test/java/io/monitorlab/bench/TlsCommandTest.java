package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TlsCommandTest {
  @Test
  void endpointsAreRefusedBecauseTheBenchStartsItsOwnTwoEtcds() {
    StringWriter err = new StringWriter();
    CommandLine cl = BenchCommand.commandLine(Map.of()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()));

    int code = cl.execute("tls", "--endpoints", "127.0.0.1:2379");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("monitor-bench tls: --endpoints: not used by tls: it starts its own plaintext and "
        + "TLS etcd so that both run alike; run it without --endpoints (see monitor-bench tls --help)" + System.lineSeparator());
  }

  @Test
  void badCountsAreRefusedBeforeAnyEtcdStarts() {
    StringWriter err = new StringWriter();
    CommandLine cl = BenchCommand.commandLine(Map.of()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()));

    assertThat(cl.execute("tls", "--agents", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--agents: invalid value 0: expected a whole number from 1 to 10");
  }
}
