package io.monitorlab.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.test.TlsNamedCases;
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
 * must say what the jar's own rule ({@code TlsWarmUp.named}) says: the cases of {@link TlsNamedCases}.
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
  void itNamesTlsExactlyWhereTheJarsRuleDoes() throws Exception {
    for (TlsNamedCases c : TlsNamedCases.ALL) {
      assertThat(named(c.env(), c.args().toArray(String[]::new))).as("%s with %s", c.args(), c.env()).isEqualTo(c.tls());
    }
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
