package io.monitorlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.monitorlab.common.EtcdEndpoints;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The k8s manifests, the Dockerfile and setup_config.sh agree with the names and defaults in the code. */
@Timeout(30)
class K8sManifestsTest {
  private static final String LAB_DEFAULT = "etcd-0.etcd-service.etcd.svc.cluster.local:2379";
  private static final Set<String> ETCD_MEMBERS = Set.of(
      "etcd-0.etcd-service.etcd.svc.cluster.local:2379",
      "etcd-1.etcd-service.etcd.svc.cluster.local:2379",
      "etcd-2.etcd-service.etcd.svc.cluster.local:2379");
  private static final String AGENT_JAR = "monitor-agent.jar";
  private static final String SERVER_JAR = "monitor-server.jar";
  private static final String DEFAULT_CONFIG = "{\"interval\": 10, \"metrics\": [\"cpu\", \"memory\", \"disk\"]}";

  private static Path repo;
  private static List<JsonNode> docs;

  @BeforeAll
  static void readManifests() throws IOException {
    repo = findRepo();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(repo.resolve("k8s"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
          while (it.hasNextValue()) {
            JsonNode doc = it.nextValue();
            if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
              all.add(doc);
            }
          }
        }
      }
    }
    docs = List.copyOf(all);
  }

  /** Under failsafe monitor.repo is set; under surefire the working directory is the module, so "..". */
  private static Path findRepo() {
    for (String candidate : new String[] {System.getProperty("monitor.repo", ".."), ".", ".."}) {
      Path p = Path.of(candidate).toAbsolutePath().normalize();
      if (Files.isDirectory(p.resolve("k8s")) && Files.isDirectory(p.resolve("scripts"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root with k8s/ and scripts/ not found from " + Path.of("").toAbsolutePath());
  }

  @Test
  void everyManifestDocumentNamesItsKindAndName() {
    assertThat(docs).isNotEmpty();
    for (JsonNode doc : docs) {
      assertThat(doc.path("apiVersion").asText()).as("apiVersion of %s", doc).isNotBlank();
      assertThat(doc.path("kind").asText()).as("kind of %s", doc).isNotBlank();
      assertThat(doc.path("metadata").path("name").asText()).as("metadata.name of %s", doc).isNotBlank();
    }
  }

  @Test
  void theLabDefaultEndpointIsTheOneTheCodeUses() {
    assertThat(EtcdEndpoints.LAB_DEFAULT).isEqualTo(LAB_DEFAULT);
    assertThat(URI.create("http://" + LAB_DEFAULT).getPort()).isEqualTo(EtcdEndpoints.DEFAULT_PORT);
  }

  @Test
  void etcdRunsAsThreeMembersBehindTheHeadlessServiceOfTheLabDefaultEndpoint() {
    assertThat(one("Namespace", "etcd")).isNotNull();
    JsonNode service = one("Service", "etcd-service");
    assertThat(service.path("metadata").path("namespace").asText()).isEqualTo("etcd");
    assertThat(service.path("spec").path("clusterIP").asText()).isEqualTo("None");
    assertThat(portsByName(service.path("spec").path("ports"), "port"))
        .contains("client=2379", "peer=2380");

    JsonNode sts = one("StatefulSet", "etcd");
    assertThat(sts.path("metadata").path("namespace").asText()).isEqualTo("etcd");
    assertThat(sts.path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(sts.path("spec").path("serviceName").asText()).isEqualTo("etcd-service");
    assertThat(sts.path("spec").path("volumeClaimTemplates").size()).isPositive();
    JsonNode etcd = containers(sts).get(0);
    assertThat(portsByName(etcd.path("ports"), "containerPort")).contains("client=2379", "peer=2380");

    URI labDefault = URI.create("http://" + LAB_DEFAULT);
    String pod0 = sts.path("metadata").path("name").asText() + "-0";
    String ns = sts.path("metadata").path("namespace").asText();
    assertThat(labDefault.getHost())
        .isEqualTo(pod0 + "." + sts.path("spec").path("serviceName").asText() + "." + ns + ".svc.cluster.local");
    assertThat(labDefault.getPort()).isEqualTo(2379);
  }

  @Test
  void etcdInitialClusterListsTheThreePodsByTheirServiceNames() {
    List<String> args = strings(containers(one("StatefulSet", "etcd")).get(0).path("args"));
    String initial = args.stream().filter(a -> a.startsWith("--initial-cluster="))
        .findFirst().orElseThrow().substring("--initial-cluster=".length());
    assertThat(Arrays.asList(initial.split(","))).containsExactly(
        "etcd-0=http://etcd-0.etcd-service.etcd.svc.cluster.local:2380",
        "etcd-1=http://etcd-1.etcd-service.etcd.svc.cluster.local:2380",
        "etcd-2=http://etcd-2.etcd-service.etcd.svc.cluster.local:2380");
    assertThat(args).contains("--listen-client-urls=http://0.0.0.0:2379",
        "--advertise-client-urls=http://$(POD_NAME).etcd-service.etcd.svc.cluster.local:2379");
  }

  @Test
  void everyEtcdEndpointsValueNamesOnlyTheThreeEtcdPodsOnTheClientPort() {
    int found = 0;
    for (JsonNode doc : docs) {
      for (JsonNode container : containers(doc)) {
        for (JsonNode env : container.path("env")) {
          if (env.path("name").asText().equals("ETCD_ENDPOINTS")) {
            found++;
            List<String> hosts = Arrays.asList(env.path("value").asText().split(","));
            assertThat(hosts).as("ETCD_ENDPOINTS of %s", doc.path("metadata").path("name").asText())
                .isNotEmpty().doesNotHaveDuplicates().allMatch(ETCD_MEMBERS::contains);
            assertThat(EtcdEndpoints.parse(env.path("value").asText(), "ETCD_ENDPOINTS").uris())
                .extracting(URI::getPort).containsOnly(EtcdEndpoints.DEFAULT_PORT);
          }
        }
      }
    }
    assertThat(found).as("containers with ETCD_ENDPOINTS (server, agent, setup job)").isEqualTo(3);
  }

  @Test
  void theAgentRunsOnEveryNodeUnderItsKubernetesNodeName() {
    JsonNode ds = one("DaemonSet", "monitor-agent");
    JsonNode agent = containers(ds).get(0);
    JsonNode nodeName = env(agent, "NODE_NAME");
    assertThat(nodeName.path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("spec.nodeName");
    assertThat(jarOf(agent)).isEqualTo("/opt/monitor/" + AGENT_JAR);
    assertThat(strings(agent.path("command"))).as("the agent's argument file and host options from the image")
        .containsExactly("java", "@/opt/monitor/agent.jvm", "@/opt/monitor/agent-host.jvm", "-jar", "/opt/monitor/" + AGENT_JAR);
    assertThat(agent.path("resources").path("limits").path("memory").asText()).isEqualTo("96Mi");
    int grace = ds.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asInt();
    assertThat(grace).as("grace period: the agent needs up to 2 s to leave").isGreaterThan(2).isLessThanOrEqualTo(30);
  }

  @Test
  void theMonitorServerIsOneReplicaOfTheServerJar() {
    JsonNode deploy = one("Deployment", "monitor-server");
    assertThat(deploy.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(jarOf(containers(deploy).get(0))).isEqualTo("/opt/monitor/" + SERVER_JAR);
    assertThat(strings(containers(deploy).get(0).path("command")))
        .as("the monitor's argument file and the host options (class-data archive) the Dockerfile decides")
        .containsExactly("java", "@/opt/monitor/server.jvm", "@/opt/monitor/server-host.jvm", "-jar", "/opt/monitor/" + SERVER_JAR);
  }

  @Test
  void theMonitorServesHttpOnAllInterfacesWithProbesScrapeAnnotationsAndAService() {
    JsonNode deploy = one("Deployment", "monitor-server");
    JsonNode server = containers(deploy).get(0);
    assertThat(env(server, "MONITOR_HTTP").path("value").asText()).isEqualTo("0.0.0.0:9780");
    assertThat(portsByName(server.path("ports"), "containerPort")).containsExactly("http=9780");
    JsonNode annotations = deploy.path("spec").path("template").path("metadata").path("annotations");
    assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
    assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo("9780");
    assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
    assertThat(server.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
    assertThat(server.path("livenessProbe").path("httpGet").path("port").asText()).isEqualTo("http");
    assertThat(server.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
    assertThat(server.path("readinessProbe").path("httpGet").path("port").asText()).isEqualTo("http");

    JsonNode service = one("Service", "monitor-server");
    assertThat(service.path("metadata").path("namespace").asText()).isEqualTo("monitor");
    assertThat(service.path("spec").path("selector").path("app").asText())
        .isEqualTo(deploy.path("spec").path("template").path("metadata").path("labels").path("app").asText());
    assertThat(portsByName(service.path("spec").path("ports"), "port")).containsExactly("http=9780");
    assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText()).isIn("http", "9780");
  }

  @Test
  void theAgentReadsTheHostsProcSysAndMountsReadOnly() {
    JsonNode ds = one("DaemonSet", "monitor-agent");
    JsonNode agent = containers(ds).get(0);
    assertThat(env(agent, "PROC_ROOT").path("value").asText()).isEqualTo("/host/proc");
    assertThat(env(agent, "SYS_ROOT").path("value").asText()).isEqualTo("/host/sys");
    assertThat(env(agent, "HOST_ROOT").path("value").asText()).isEqualTo("/host/root");
    List<String> hostPaths = new ArrayList<>();
    for (JsonNode volume : ds.path("spec").path("template").path("spec").path("volumes")) {
      hostPaths.add(volume.path("name").asText() + "=" + volume.path("hostPath").path("path").asText());
    }
    List<String> mounts = new ArrayList<>();
    for (JsonNode mount : agent.path("volumeMounts")) {
      String hostPath = hostPaths.stream().filter(h -> h.startsWith(mount.path("name").asText() + "="))
          .findFirst().orElseThrow(() -> new AssertionError("no hostPath volume for mount " + mount)).split("=", 2)[1];
      assertThat(mount.path("readOnly").asBoolean()).as("%s mounted read-only", hostPath).isTrue();
      mounts.add(hostPath + " -> " + mount.path("mountPath").asText()
          + (mount.has("mountPropagation") ? " " + mount.path("mountPropagation").asText() : ""));
    }
    assertThat(mounts).containsExactlyInAnyOrder(
        "/proc -> /host/proc", "/sys -> /host/sys", "/ -> /host/root HostToContainer");
  }

  @Test
  void theSetupJobRunsConfigInitOfTheServerJar() {
    JsonNode job = one("Job", "monitor-config-setup");
    List<String> command = strings(containers(job).get(0).path("command"));
    assertThat(command.subList(0, 3)).containsExactly("java", "@/opt/monitor/server.jvm", "@/opt/monitor/server-host.jvm");
    int jar = command.indexOf("-jar");
    assertThat(command.get(jar + 1)).isEqualTo("/opt/monitor/" + SERVER_JAR);
    assertThat(command.subList(jar + 2, command.size())).containsExactly("config", "init");
  }

  @Test
  void everyWorkloadLivesInOneDeclaredNamespaceAndHasMemoryLimits() {
    Set<String> namespaces = docs.stream().filter(d -> d.path("kind").asText().equals("Namespace"))
        .map(d -> d.path("metadata").path("name").asText()).collect(Collectors.toSet());
    assertThat(namespaces).containsExactlyInAnyOrder("etcd", "monitor");
    for (JsonNode doc : docs) {
      if (doc.path("kind").asText().equals("Namespace")) {
        continue;
      }
      String name = doc.path("metadata").path("name").asText();
      assertThat(doc.path("metadata").path("namespace").asText()).as("namespace of %s", name).isIn(namespaces);
      for (JsonNode container : containers(doc)) {
        assertThat(container.path("resources").path("limits").path("memory").asText())
            .as("memory limit of %s", name).isNotBlank();
      }
    }
    assertThat(Stream.of("Deployment", "DaemonSet", "Job").map(kind -> onlyOfKind(kind).path("metadata").path("namespace").asText()))
        .containsOnly("monitor");
  }

  @Test
  void theDockerfileCopiesBothJarsFromTheMavenBuildToWhereTheManifestsRunThem() throws IOException {
    String dockerfile = Files.readString(repo.resolve("k8s/Dockerfile"));
    assertThat(dockerfile).contains("FROM eclipse-temurin:17.");
    Matcher copy = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+(\\S+)\\s*$").matcher(dockerfile);
    List<String> copies = new ArrayList<>();
    while (copy.find()) {
      copies.add(copy.group(1) + " -> " + copy.group(2));
    }
    assertThat(copies).contains(
        "monitor-agent/target/" + AGENT_JAR + " -> /opt/monitor/" + AGENT_JAR,
        "monitor-server/target/" + SERVER_JAR + " -> /opt/monitor/" + SERVER_JAR);
    assertThat(dockerfile).contains("\"-jar\", \"/opt/monitor/" + AGENT_JAR + "\"");
    assertThat(dockerfile).as("both class-data archives are built in the image, by scripts/cds-archive.sh")
        .contains("cds-archive.sh agent --jar /opt/monitor/" + AGENT_JAR, "cds-archive.sh server --jar /opt/monitor/" + SERVER_JAR);
    Set<String> images = docs.stream().flatMap(d -> containers(d).stream())
        .filter(c -> !c.path("name").asText().equals("etcd"))
        .map(c -> c.path("image").asText()).collect(Collectors.toSet());
    assertThat(images).as("one image for agent, server and job").hasSize(1);
  }

  @Test
  void setupConfigWritesTheLabDefaultJsonForTheThreeLabNodes() throws IOException {
    String script = Files.readString(repo.resolve("scripts/setup_config.sh"));
    Matcher json = Pattern.compile("(?m)^CONFIG_JSON='([^']*)'$").matcher(script);
    assertThat(json.find()).as("CONFIG_JSON='...' line in setup_config.sh").isTrue();
    assertThat(json.group(1)).isEqualTo(DEFAULT_CONFIG);
    Matcher nodes = Pattern.compile("(?m)^NODES=\\(([^)]*)\\)$").matcher(script);
    assertThat(nodes.find()).as("NODES=(...) line in setup_config.sh").isTrue();
    assertThat(nodes.group(1).trim().split("\\s+")).containsExactly("worker1", "worker2", "master");
    assertThat(script).contains("put \"/monitor/config/$node\" \"$CONFIG_JSON\"");
  }

  private static JsonNode one(String kind, String name) {
    List<JsonNode> matches = docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind) && d.path("metadata").path("name").asText().equals(name))
        .distinct().toList();
    assertThat(matches).as("%s %s in k8s/*.yaml", kind, name).isNotEmpty();
    return matches.get(0);
  }

  private static JsonNode onlyOfKind(String kind) {
    List<JsonNode> matches = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    assertThat(matches).as("%s in k8s/*.yaml", kind).hasSize(1);
    return matches.get(0);
  }

  /** The containers of a workload's pod template (Job, Deployment, DaemonSet, StatefulSet), else none. */
  private static List<JsonNode> containers(JsonNode doc) {
    List<JsonNode> out = new ArrayList<>();
    doc.path("spec").path("template").path("spec").path("containers").forEach(out::add);
    return out;
  }

  private static JsonNode env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("env " + name + " not set in container " + container.path("name").asText());
  }

  private static String jarOf(JsonNode container) {
    List<String> command = strings(container.path("command"));
    int jar = command.indexOf("-jar");
    assertThat(jar).as("-jar in %s", command).isNotNegative().isLessThan(command.size() - 1);
    return command.get(jar + 1);
  }

  private static List<String> portsByName(JsonNode ports, String field) {
    List<String> out = new ArrayList<>();
    ports.forEach(p -> out.add(p.path("name").asText() + "=" + p.path(field).asInt()));
    return out;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
