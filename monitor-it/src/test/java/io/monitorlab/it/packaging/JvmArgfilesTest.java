package io.monitorlab.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JVM argument files are the one definition of each jar's JVM options: well formed, accepted by this
 * JDK, explained option by option, and what the scripts, the Dockerfile and the manifests use instead of
 * options of their own. (The packages and the tarball are checked in monitor-dist.)
 */
@Timeout(60)
class JvmArgfilesTest {
  private static final Path REPO = Repo.root();
  /** A measured figure: "66 MB", "0.38 %", "479 ms". They belong in docs/BENCHMARKS.md, not in comments. */
  private static final Pattern FIGURE = Pattern.compile("\\d\\s?(MB|KB|ms|%)");
  /** A JVM option written out: -XX:..., -Xmx..., -Dio.netty... (an argument file reference starts with @). */
  private static final Pattern JVM_OPTION = Pattern.compile("(?<![\\w-])-(XX:|Xm[xsn]|Xss|Xlog|Xshare|Dio\\.netty)");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"agent", "server"})
  void everyOptionStandsAloneOnItsLineBelowACommentSayingWhatItIsFor(String app) throws IOException {
    List<String> lines = Files.readAllLines(Repo.argfile(app));
    List<String> options = Repo.options(Repo.argfile(app));
    assertThat(options).as("options of %s.jvm", app).isNotEmpty().allMatch(o -> o.startsWith("-") && !o.contains(" "));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        assertThat(lines.get(i - 1).strip()).as("the line above %s in %s.jvm", line, app).startsWith("#");
      }
    }
  }

  @Test
  void theServerKeepsAHeapForTenThousandNodesAndBothUseTheSerialCollector() throws IOException {
    assertThat(Repo.options(Repo.argfile("server"))).contains("-Xmx256m", "-XX:+UseSerialGC");
    assertThat(Repo.options(Repo.argfile("agent"))).contains("-XX:+UseSerialGC");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"agent", "server"})
  void thisJdkAcceptsTheArgumentFile(String app) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "@" + Repo.argfile(app), "-version").redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as("java @%s.jvm -version: %s", app, out).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "monitor-agent/src/main/jvm/agent.jvm", "monitor-server/src/main/jvm/server.jvm", "scripts/lib.sh",
      "scripts/run_agent.sh", "scripts/run_server.sh", "scripts/cds-archive.sh", "k8s/Dockerfile", "k8s/agent.yaml",
      "k8s/monitor.yaml", "k8s/setup-job.yaml"})
  void noMeasuredFigureIsCopiedIntoAComment(String file) throws IOException {
    for (String line : Files.readAllLines(REPO.resolve(file))) {
      int hash = line.indexOf('#');
      if (hash >= 0) {
        assertThat(FIGURE.matcher(line.substring(hash)).find()).as("%s: %s (link docs/BENCHMARKS.md instead)", file, line).isFalse();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scripts/lib.sh", "scripts/run_agent.sh", "scripts/run_server.sh", "scripts/cds-archive.sh",
      "k8s/Dockerfile", "k8s/agent.yaml", "k8s/monitor.yaml", "k8s/setup-job.yaml"})
  void noDeploymentPathWritesOutAJvmOptionOfItsOwn(String file) throws IOException {
    for (String line : Files.readAllLines(REPO.resolve(file))) {
      String code = line.strip().startsWith("#") ? "" : line;
      // Options that are not the application's: the archive a training run writes, and its checks.
      code = code.replaceAll("-XX:(ArchiveClassesAtExit|SharedArchiveFile|\\+VerifySharedSpaces|TrimNativeHeapInterval)\\S*", "")
          .replace("-Xshare:on", "");
      assertThat(JVM_OPTION.matcher(code).find()).as("%s writes out a JVM option: %s (put it in the argument file)", file, line)
          .isFalse();
    }
  }

  @Test
  void theRunScriptsPassTheArgumentFilesAndProbeNothingAtStart() throws IOException {
    String lib = Files.readString(REPO.resolve("scripts/lib.sh"));
    assertThat(lib).contains("AGENT_ARGFILE=\"$REPO/monitor-agent/src/main/jvm/agent.jvm\"",
        "SERVER_ARGFILE=\"$REPO/monitor-server/src/main/jvm/server.jvm\"",
        "AGENT_JVM_FLAGS=(\"@$AGENT_ARGFILE\")", "SERVER_JVM_FLAGS=(\"@$SERVER_ARGFILE\")");
    for (String app : List.of("agent", "server")) {
      String script = String.join("\n", Files.readAllLines(REPO.resolve("scripts/run_" + app + ".sh")).stream()
          .filter(l -> !l.strip().startsWith("#")).toList());
      String flags = app.toUpperCase() + "_JVM_FLAGS";
      assertThat(script).contains("exec java \"${" + flags + "[@]}\" \"${CDS_OPTION[@]}\"", "cds_option " + app);
      assertThat(script).as("run_%s.sh probes nothing at start", app)
          .doesNotContain("java -version", "require_java17", "java_major", "stat ");
    }
  }

  @Test
  void theDockerfileCopiesTheArgumentFilesAndItsEntrypointUsesThem() throws IOException {
    String dockerfile = Files.readString(REPO.resolve("k8s/Dockerfile"));
    List<String> copies = new ArrayList<>();
    Matcher copy = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+(\\S+)\\s*$").matcher(dockerfile);
    while (copy.find()) {
      copies.add(copy.group(1) + " -> " + copy.group(2));
    }
    assertThat(copies).contains(
        "monitor-agent/src/main/jvm/agent.jvm -> /opt/monitor/agent.jvm",
        "monitor-server/src/main/jvm/server.jvm -> /opt/monitor/server.jvm",
        "scripts/cds-archive.sh -> /opt/monitor/cds-archive.sh");
    assertThat(dockerfile).contains(
        "ENTRYPOINT [\"java\", \"@/opt/monitor/agent.jvm\", \"@/opt/monitor/agent-host.jvm\", \"-jar\", \"/opt/monitor/monitor-agent.jar\"]",
        "/opt/monitor/cds-archive.sh agent --jar /opt/monitor/monitor-agent.jar --argfile /opt/monitor/agent.jvm --dir /opt/monitor",
        "/opt/monitor/cds-archive.sh server --jar /opt/monitor/monitor-server.jar --argfile /opt/monitor/server.jvm --dir /opt/monitor");
  }

  @Test
  void theDockerfileFollowsTheLintRules() throws IOException {
    List<String> instructions = Files.readAllLines(REPO.resolve("k8s/Dockerfile")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    List<String> from = instructions.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(from).as("one base image, pinned to a full JDK version (no floating tag, no latest)").hasSize(1);
    assertThat(from.get(0)).matches("FROM [a-z0-9./-]+:\\d+\\.\\d+\\.\\d+[_.+-]\\S*");
    assertThat(instructions).as("no ADD (of URLs or archives): COPY only").noneMatch(l -> l.startsWith("ADD "));
    List<String> users = instructions.stream().filter(l -> l.startsWith("USER ")).toList();
    assertThat(users).as("USER, last one not root").isNotEmpty();
    String user = users.get(users.size() - 1).substring(5).strip();
    assertThat(user.split(":")[0]).isNotIn("root", "0").matches("\\d+");
    assertThat(instructions.stream().filter(l -> l.startsWith("ENTRYPOINT ") || l.startsWith("CMD ")))
        .as("ENTRYPOINT/CMD in exec form").isNotEmpty().allMatch(l -> l.matches("(ENTRYPOINT|CMD) \\[.*]"));
    assertThat(instructions).noneMatch(l -> l.contains("curl ") || l.contains("wget "));
  }
}
