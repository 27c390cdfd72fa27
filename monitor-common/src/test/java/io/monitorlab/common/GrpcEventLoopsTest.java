package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.monitorlab.common.test.EtcdCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * gRPC's shared event loops are found and stopped once the last client is closed, so that the JVM need not
 * wait for them at exit. In a child JVM: stopping them is for a process about to exit, and the test JVM's
 * other clients share them.
 */
@Timeout(60)
class GrpcEventLoopsTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  @Test
  void nothingIsStartedBeforeAClientAndAfterTheLastClientClosedNoGrpcThreadIsLeft() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Child.class.getName(), etcd.endpoints())
        .redirectErrorStream(true).start();
    assertThat(child.waitFor(45, TimeUnit.SECONDS)).as("the child ended").isTrue();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).as("child output").contains("stopped before any client: true, grpc threads: []")
        .contains("grpc threads while connected: [grpc-")
        .contains("stopped: true").contains("grpc threads after: []");
    assertThat(child.exitValue()).as(out).isZero();
  }

  /** The child: one client, a read, close, then the stop that Cli.exit does. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      System.out.println("stopped before any client: " + GrpcEventLoops.stopBeforeExit(Duration.ofSeconds(1))
          + ", grpc threads: " + grpcThreads());
      Client client = EtcdClients.connect(EtcdEndpoints.parse(args[0], "--endpoints"));
      client.getKVClient().get(EtcdClients.bytes("/x")).get(10, TimeUnit.SECONDS);
      System.out.println("grpc threads while connected: " + grpcThreads());
      client.close();
      System.out.println("stopped: " + GrpcEventLoops.stopBeforeExit(Duration.ofSeconds(5)));
      // The loops' termination is signalled from their threads' last steps: a thread may still be ending.
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("grpc-nio-worker")) {
          t.join(200);
        }
      }
      System.out.println("grpc threads after: " + grpcThreads());
    }

    private static List<String> grpcThreads() {
      return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
          .filter(n -> n.startsWith("grpc-nio-worker")).sorted().toList();
    }
  }
}
