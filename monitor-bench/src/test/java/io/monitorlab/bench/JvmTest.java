package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class JvmTest {
  @Test
  void agentFlagsComeOnePerLineFromBenchShAndDefaultToTheLeanOnes() {
    assertThat(Jvm.agentFlags("-XX:+UseSerialGC\n-Xmx64m\n\n-XX:SharedArchiveFile=/a b/agent.jsa\n"))
        .containsExactly("-XX:+UseSerialGC", "-Xmx64m", "-XX:SharedArchiveFile=/a b/agent.jsa");
    assertThat(Jvm.agentFlags(null)).contains("-XX:+UseSerialGC", "-Xmx64m");
    assertThat(Jvm.agentFlags("  ")).isEqualTo(Jvm.agentFlags(null));
  }

  @Test
  void serverFlagsComeOnePerLineFromBenchShAndDefaultToItsHeapFlags() {
    assertThat(Jvm.serverFlags("-XX:+UseSerialGC\n-Xmx256m\n-XX:SharedArchiveFile=/x/monitor-server.jsa"))
        .containsExactly("-XX:+UseSerialGC", "-Xmx256m", "-XX:SharedArchiveFile=/x/monitor-server.jsa");
    assertThat(Jvm.serverFlags(null)).containsExactly("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m");
    assertThat(Jvm.serverFlags("")).isEqualTo(Jvm.serverFlags(null));
  }
}
