package io.monitorlab.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wrappers give an agent that talks TLS the class-data archive trained with TLS ({@code agent-tls-host.jvm}):
 * they decide with {@code tls_named}, one shell function in three files that must be the same function, and
 * must say what the jar's own rule ({@code TlsWarmUp.named}, its cases in TlsWarmUpTest) says.
 */
@Timeout(60)
class TlsArchiveChoiceTest {
  private static final Path REPO = Repo.root();
  private static final List<String> FILES = List.of("scripts/lib.sh", "monitor-dist/src/deb/bin/monitor-wrapper",
      "monitor-dist/src/dist/bin/monitor-wrapper");
  private static final Pattern FUNCTION = Pattern.compile("(?ms)^tls_named\\(\\) \\{\n.*?^}\n");

  @Test
  void theThreeWrappersHoldTheSameFunction() throws IOException {
    List<String> bodies = new ArrayList<>();
    for (String file : FILES) {
      bodies.add(function(file));
    }
    assertThat(bodies).as("tls_named in %s", FILES).containsOnly(bodies.get(0));
  }

  @Test
  void aTlsOptionAnHttpsEndpointOrAnEtcdctlTlsVariableNameTlsAsTheJarSays() throws Exception {
    assertThat(named(Map.of(), "--cacert", "ca.pem")).isTrue();
    assertThat(named(Map.of(), "--cert=c.pem", "--key=k.pem")).isTrue();
    assertThat(named(Map.of(), "--endpoints", "https://10.0.0.1:2379")).isTrue();
    assertThat(named(Map.of("ETCDCTL_CACERT", "/etc/etcd/ca.pem"))).isTrue();
    assertThat(named(Map.of("ETCD_ENDPOINTS", "https://etcd:2379"))).isTrue();
  }

  @Test
  void plaintextNamesNoTls() throws Exception {
    assertThat(named(Map.of("ETCD_ENDPOINTS", "127.0.0.1:2379", "ETCDCTL_CACERT", " "), "--endpoints", "http://a:2379",
        "--node", "worker1", "--keepalive")).isFalse();
    assertThat(named(Map.of(), "--user", "worker1", "--password-file", "/etc/pw")).isFalse();
    assertThat(named(Map.of())).isFalse();
  }

  @Test
  void eachWrapperChoosesTheTlsHostFileOnlyForTheAgentAndOnlyWhenItExists() throws IOException {
    for (String file : FILES) {
      String script = Files.readString(REPO.resolve(file));
      assertThat(script).as(file).contains("$app == agent && -f ${host%-host.jvm}-tls-host.jvm ]] && tls_named \"$@\"",
          "host=\"${host%-host.jvm}-tls-host.jvm\"");
    }
    assertThat(Files.readString(REPO.resolve("scripts/run_agent.sh"))).contains("cds_option agent \"$@\"");
  }

  /** Runs the function of lib.sh under {@code set -eu}, as the wrappers do, with only {@code env} set. */
  private static boolean named(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", "-c", "set -eu\n" + function("scripts/lib.sh") + "tls_named \"$@\"", "tls_named"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("tls_named prints nothing").isEmpty();
    assertThat(p.exitValue()).as("exit code of tls_named %s with %s", List.of(args), env).isIn(0, 1);
    return p.exitValue() == 0;
  }

  private static String function(String file) throws IOException {
    Matcher m = FUNCTION.matcher(Files.readString(REPO.resolve(file)));
    assertThat(m.find()).as("tls_named() in %s", file).isTrue();
    return m.group();
  }
}
