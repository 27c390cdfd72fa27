package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.EtcdEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void argumentFilesAreExpandedForTheRecordWithoutTheirComments(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.jvm");
    Files.writeString(file, "# why\n-XX:+UseSerialGC\n\n  -Xmx64m  \n");

    assertThat(Jvm.expanded(List.of("@" + file, "-Xss256k", "@" + dir.resolve("gone.jvm"))))
        .startsWith("-XX:+UseSerialGC", "-Xmx64m", "-Xss256k")
        .last().asString().startsWith("@" + dir.resolve("gone.jvm") + " (unreadable: ");
  }

  @Test
  void aTlsEtcdIsPassedWithItsSchemeAndOptionsAfterTheEndpoints() {
    EtcdEndpoints plain = EtcdEndpoints.parse("127.0.0.1:2379", "test");
    Jvm jvm = new Jvm(Path.of("java"), Path.of("agent.jar"), Path.of("server.jar"), plain);
    EtcdEndpoints tls = EtcdEndpoints.parse("https://127.0.0.1:2379", "test");

    assertThat(jvm.agent("n1")).endsWith("--node", "n1", "--endpoints", "127.0.0.1:2379");
    assertThat(jvm.on(tls, List.of("--cacert", "ca.crt")).agent("n1"))
        .endsWith("--node", "n1", "--endpoints", "https://127.0.0.1:2379", "--cacert", "ca.crt");
    assertThat(jvm.on(tls, List.of("--cacert", "ca.crt")).server(List.of("--http", "127.0.0.1:1")))
        .endsWith("--endpoints", "https://127.0.0.1:2379", "--cacert", "ca.crt", "--http", "127.0.0.1:1");
  }
}
