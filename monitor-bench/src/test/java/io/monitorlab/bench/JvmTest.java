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
}
