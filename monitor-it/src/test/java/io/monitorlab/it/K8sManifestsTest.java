package io.monitorlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdSecurity;
import io.monitorlab.server.access.AccessPlan;
import io.monitorlab.server.access.ServerGaps;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The k8s manifests, the Dockerfile and setup_config.sh agree with the names and defaults in the code; the TLS
 * variant in k8s/tls/ ({@link Tls}) is the same deployment over TLS with least-privilege identities.
 */
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
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** What the per-node templates in k8s/tls/ hold in place of the node name, and the node the tests make them for. */
  private static final String NODE_PLACEHOLDER = "__NODE__";
  private static final String TLS_NODE = "worker1";

  private static Path repo;
  private static List<JsonNode> docs;
  /** k8s/tls/*.yaml by file name: the raw text, and its documents with the per-node templates made for {@link #TLS_NODE}. */
  private static Map<String, String> tlsTexts;
  private static Map<String, List<JsonNode>> tlsFiles;
  private static List<JsonNode> tlsDocs;

  @BeforeAll
  static void readManifests() throws IOException {
    repo = findRepo();
    List<JsonNode> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(repo.resolve("k8s"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        all.addAll(parseYaml(Files.readString(file)));
      }
    }
    docs = List.copyOf(all);

    Map<String, String> texts = new LinkedHashMap<>();
    Map<String, List<JsonNode>> files = new LinkedHashMap<>();
    List<JsonNode> tls = new ArrayList<>();
    try (Stream<Path> list = Files.list(repo.resolve("k8s/tls"))) {
      for (Path file : list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String text = Files.readString(file);
        List<JsonNode> rendered = parseYaml(text.replace(NODE_PLACEHOLDER, TLS_NODE));
        texts.put(file.getFileName().toString(), text);
        files.put(file.getFileName().toString(), rendered);
        tls.addAll(rendered);
      }
    }
    tlsTexts = texts;
    tlsFiles = files;
    tlsDocs = List.copyOf(tls);
  }

  private static List<JsonNode> parseYaml(String text) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
          out.add(doc);
        }
      }
    }
    return out;
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

  /**
   * k8s/tls/ (k8s/tls/README.md): the same workloads over TLS for clients and peers, each process with a client
   * certificate whose CN is its etcd user of least privilege (monitor, operator, root for the access Jobs, one per
   * node for the agents), from Secrets that k8s/tls/pki.sh or cert-manager make. The per-node templates are made
   * for {@link #TLS_NODE} here, as the README's sed line makes them.
   */
  @Nested
  class Tls {
    @Test
    void everyDocumentNamesItsKindAndNameInANamespaceTheVariantDeclares() {
      assertThat(tlsFiles.keySet()).containsExactlyInAnyOrder("access-job.yaml", "agent-node.yaml", "cert-manager-node.yaml",
          "cert-manager.yaml", "etcd.yaml", "monitor.yaml", "setup-job.yaml");
      Set<String> namespaces = ofKind(tlsDocs, "Namespace").stream().map(d -> d.path("metadata").path("name").asText())
          .collect(Collectors.toSet());
      assertThat(namespaces).containsExactlyInAnyOrder("etcd", "monitor");
      for (JsonNode doc : tlsDocs) {
        String kind = doc.path("kind").asText();
        String name = doc.path("metadata").path("name").asText();
        assertThat(doc.path("apiVersion").asText()).as("apiVersion of %s", doc).isNotBlank();
        assertThat(kind).as("kind of %s", doc).isNotBlank();
        assertThat(name).as("metadata.name of %s", doc).isNotBlank();
        String namespace = doc.path("metadata").path("namespace").asText();
        if (kind.equals("Namespace") || kind.equals("ClusterIssuer")) {
          assertThat(namespace).as("%s %s is cluster-wide", kind, name).isEmpty();
        } else if (kind.equals("Certificate") && doc.path("spec").path("isCA").asBoolean()) {
          assertThat(namespace).as("a ClusterIssuer's CA is in cert-manager's cluster resource namespace").isEqualTo("cert-manager");
        } else {
          assertThat(namespace).as("namespace of %s %s", kind, name).isIn(namespaces);
        }
      }
      for (JsonNode doc : workloads()) {
        for (JsonNode container : containers(doc)) {
          assertThat(container.path("resources").path("limits").path("memory").asText())
              .as("memory limit of %s", doc.path("metadata").path("name").asText()).isNotBlank();
        }
        assertThat(podSpec(doc).path("automountServiceAccountToken").asBoolean(true))
            .as("%s talks to etcd only: no Kubernetes API token", doc.path("metadata").path("name").asText()).isFalse();
      }
    }

    @Test
    void thePerNodeTemplatesCannotBeAppliedUnmadeAndFitNodeNamesUpToTheDocumentedLength() throws IOException {
      Set<String> templates = tlsTexts.entrySet().stream().filter(e -> e.getValue().contains(NODE_PLACEHOLDER))
          .map(Map.Entry::getKey).collect(Collectors.toSet());
      assertThat(templates).containsExactlyInAnyOrder("agent-node.yaml", "cert-manager-node.yaml");
      Pattern dnsSubdomain = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
      String longest = "n".repeat(MAX_NODE_NAME);
      for (String file : templates) {
        assertThat(tlsFiles.get(file).toString()).doesNotContain(NODE_PLACEHOLDER);
        for (JsonNode raw : parseYaml(tlsTexts.get(file))) {
          String name = raw.path("metadata").path("name").asText();
          assertThat(name).as("the name of each object of %s is the node's", file).contains(NODE_PLACEHOLDER);
          assertThat(dnsSubdomain.matcher(name).matches()).as("%s unmade is refused by the API server", name).isFalse();
          // A Job's name is also the value of its pods' job-name label: at most 63 characters.
          int max = raw.path("kind").asText().equals("Job") ? 63 : 253;
          assertThat(name.replace(NODE_PLACEHOLDER, longest).length()).as("%s for a node name of %d characters", name, MAX_NODE_NAME)
              .isLessThanOrEqualTo(max);
          assertThat(dnsSubdomain.matcher(name.replace(NODE_PLACEHOLDER, TLS_NODE)).matches()).isTrue();
        }
      }
      assertThat(Files.readString(repo.resolve("k8s/tls/README.md"))).contains(MAX_NODE_NAME + " characters");
    }

    @Test
    void everyJvmRunsItsJarWithTheArgumentFilesOfTheImageAsThePlaintextManifestsDo() throws IOException {
      String dockerfile = Files.readString(repo.resolve("k8s/Dockerfile"));
      int jvms = 0;
      for (JsonNode doc : workloads()) {
        for (JsonNode container : containers(doc)) {
          if (container.path("name").asText().equals("etcd")) {
            continue;
          }
          jvms++;
          String app = jarOf(container).equals("/opt/monitor/" + AGENT_JAR) ? "agent" : "server";
          // The agent talks TLS here: the image's archive trained with TLS.
          String host = app.equals("agent") ? "agent-tls" : app;
          List<String> command = strings(container.path("command"));
          assertThat(command.subList(0, Math.min(5, command.size()))).as("command of %s", doc.path("metadata").path("name").asText())
              .containsExactly("java", "@/opt/monitor/" + app + ".jvm", "@/opt/monitor/" + host + "-host.jvm", "-jar",
                  "/opt/monitor/monitor-" + app + ".jar");
          assertThat(dockerfile).as("the image always has agent-tls-host.jvm")
              .contains("[ -f /opt/monitor/agent-tls-host.jvm ] || cp /opt/monitor/agent-host.jvm /opt/monitor/agent-tls-host.jvm");
          assertThat(repo.resolve("monitor-" + app + "/src/main/jvm/" + app + ".jvm")).isRegularFile();
          assertThat(dockerfile).as("the image holds the argument file and makes the host options next to it").contains(
              "COPY monitor-" + app + "/src/main/jvm/" + app + ".jvm /opt/monitor/" + app + ".jvm",
              "cds-archive.sh " + app + " --jar /opt/monitor/monitor-" + app + ".jar --argfile /opt/monitor/" + app + ".jvm --dir /opt/monitor");
        }
      }
      assertThat(jvms).as("monitor, config Job, access Job, the node's access Job and agent").isEqualTo(5);
      assertThat(argsAfterJar(one(tlsDocs, "Job", "monitor-access-init"))).containsExactly("access", "init", "--enable-auth");
      assertThat(argsAfterJar(one(tlsDocs, "Job", "monitor-node-" + TLS_NODE))).containsExactly("access", "add-node", TLS_NODE);
      assertThat(argsAfterJar(one(tlsDocs, "Job", "monitor-config-setup"))).containsExactly("config", "init");
      assertThat(argsAfterJar(one(tlsDocs, "Deployment", "monitor-server"))).isEmpty();
      assertThat(argsAfterJar(one(tlsDocs, "DaemonSet", "monitor-agent-" + TLS_NODE))).isEmpty();
    }

    @Test
    void theWorkloadsAreThePlaintextOnesWithTlsAdded() {
      samePlaintextWorkload("Deployment", "monitor-server", "monitor-server");
      samePlaintextWorkload("DaemonSet", "monitor-agent", "monitor-agent-" + TLS_NODE);
      samePlaintextWorkload("Job", "monitor-config-setup", "monitor-config-setup");
      assertThat(one(tlsDocs, "Service", "monitor-server")).isEqualTo(one(docs, "Service", "monitor-server"));
      assertThat(one(tlsDocs, "Service", "etcd-service")).isEqualTo(one(docs, "Service", "etcd-service"));
      Set<String> images = tlsDocs.stream().flatMap(d -> containers(d).stream())
          .filter(c -> !c.path("name").asText().equals("etcd")).map(c -> c.path("image").asText()).collect(Collectors.toSet());
      assertThat(images).as("the plaintext manifests' one image").containsExactly(containers(one(docs, "Deployment", "monitor-server"))
          .get(0).path("image").asText());
    }

    @Test
    void everyEtcdEndpointsValueIsHttpsToTheThreeMembersOnTheClientPort() {
      Set<String> https = ETCD_MEMBERS.stream().map(m -> "https://" + m).collect(Collectors.toSet());
      int found = 0;
      for (JsonNode doc : workloads()) {
        for (JsonNode container : containers(doc)) {
          for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals("ETCD_ENDPOINTS")) {
              found++;
              String value = env.path("value").asText();
              assertThat(value.split(",")).as("ETCD_ENDPOINTS of %s", doc.path("metadata").path("name").asText())
                  .containsExactlyInAnyOrderElementsOf(https);
              EtcdEndpoints parsed = EtcdEndpoints.parse(value, "ETCD_ENDPOINTS");
              assertThat(parsed.tls()).isTrue();
              assertThat(parsed.uris()).extracting(URI::getScheme).containsOnly("https");
              assertThat(parsed.uris()).extracting(URI::getPort).containsOnly(EtcdEndpoints.DEFAULT_PORT);
            }
          }
        }
      }
      assertThat(found).as("containers with ETCD_ENDPOINTS (server, agent, three Jobs)").isEqualTo(5);
    }

    @Test
    void etcdIsThePlaintextStatefulSetWithHttpsEverywhereAndClientCertificatesRequired() {
      JsonNode plain = one(docs, "StatefulSet", "etcd");
      JsonNode tls = one(tlsDocs, "StatefulSet", "etcd");
      plain.path("spec").fieldNames().forEachRemaining(field -> {
        if (!field.equals("template")) {
          assertThat(tls.path("spec").path(field)).as("spec.%s", field).isEqualTo(plain.path("spec").path(field));
        }
      });
      JsonNode etcd = containers(tls).get(0);
      List<String> args = strings(etcd.path("args"));
      for (String arg : strings(containers(plain).get(0).path("args"))) {
        assertThat(args).as("the plaintext flag %s, with https", arg).contains(arg.replace("http://", "https://"));
      }
      Map<String, String> flags = flags(args);
      assertThat(flags.get("--initial-cluster").split(",")).containsExactly(
          "etcd-0=https://etcd-0.etcd-service.etcd.svc.cluster.local:2380",
          "etcd-1=https://etcd-1.etcd-service.etcd.svc.cluster.local:2380",
          "etcd-2=https://etcd-2.etcd-service.etcd.svc.cluster.local:2380");
      assertThat(flags.get("--listen-client-urls")).isEqualTo("https://0.0.0.0:2379");
      assertThat(flags.get("--listen-peer-urls")).isEqualTo("https://0.0.0.0:2380");
      for (String flag : List.of("--client-cert-auth", "--peer-client-cert-auth")) {
        assertThat(flags).as("etcd requires client certificates (%s)", flag).containsKey(flag);
        assertThat(flags.get(flag)).isIn("", "true");
      }
      assertThat(flags).containsKeys("--cert-file", "--key-file", "--trusted-ca-file", "--peer-cert-file", "--peer-key-file",
          "--peer-trusted-ca-file");
      assertThat(flags.get("--peer-cert-allowed-cn")).as("only the peer certificate joins, not a client's from the same CA")
          .isEqualTo("etcd-peer");
      assertThat(args.stream().filter(a -> a.contains("http://")).toList())
          .as("plain HTTP only for /health and /metrics, on a port of their own").containsExactly("--listen-metrics-urls=http://0.0.0.0:2381");
      assertThat(portsByName(etcd.path("ports"), "containerPort")).containsExactly("client=2379", "peer=2380", "metrics=2381");
      JsonNode probe = etcd.path("readinessProbe").path("httpGet");
      assertThat(probe.path("path").asText()).isEqualTo("/health");
      assertThat(probe.path("port").asText()).as("the kubelet has no client certificate: it probes the metrics port").isEqualTo("metrics");
      assertThat(probe.path("scheme").asText("HTTP")).isEqualTo("HTTP");
    }

    @Test
    void etcdsVersionHasNoKnownGapInThePermissionChecksThatPerNodeRolesRelyOn() {
      String image = containers(one(tlsDocs, "StatefulSet", "etcd")).get(0).path("image").asText();
      Matcher version = Pattern.compile(":v(\\d+\\.\\d+\\.\\d+)$").matcher(image);
      assertThat(version.find()).as("a release tag in %s", image).isTrue();
      assertThat(ServerGaps.of(version.group(1))).as("what monitor-server access init would warn about for %s", image).isEmpty();
    }

    @Test
    void everyCertificateFileIsAKeyOfASecretVolumeMountedReadOnlyAndReadableOnlyByThePod() {
      int files = 0;
      for (JsonNode doc : workloads()) {
        String name = doc.path("metadata").path("name").asText();
        JsonNode pod = podSpec(doc);
        for (JsonNode container : containers(doc)) {
          Map<String, String> settings = certificateSettings(container);
          assertThat(settings).as("TLS files of %s", name).isNotEmpty();
          Map<String, String> secretOf = new LinkedHashMap<>();
          for (Map.Entry<String, String> setting : settings.entrySet()) {
            SecretFile file = secretFile(doc, container, setting.getValue());
            assertThat(file.key()).as("%s of %s", setting.getKey(), name).isEqualTo(expectedKey(setting.getKey()));
            secretOf.put(setting.getKey(), file.secret());
            files++;
          }
          if (container.path("name").asText().equals("etcd")) {
            assertThat(List.of(secretOf.get("--cert-file"), secretOf.get("--key-file"), secretOf.get("--trusted-ca-file")))
                .as("the client port's files").containsOnly("etcd-server-tls");
            assertThat(List.of(secretOf.get("--peer-cert-file"), secretOf.get("--peer-key-file"), secretOf.get("--peer-trusted-ca-file")))
                .as("the peer port's files").containsOnly("etcd-peer-tls");
          } else {
            assertThat(settings.keySet()).as("CA, certificate and key of %s", name)
                .containsExactlyInAnyOrder(EtcdSecurity.CACERT_VARIABLE, EtcdSecurity.CERT_VARIABLE, EtcdSecurity.KEY_VARIABLE);
            assertThat(new TreeSet<>(secretOf.values())).as("one identity for %s", name).hasSize(1);
          }
        }
        for (JsonNode volume : pod.path("volumes")) {
          if (!volume.has("secret")) {
            continue;
          }
          String v = volume.path("name").asText();
          int mode = volume.path("secret").path("defaultMode").asInt(0644);
          assertThat(mode & 0227).as("mode %s of Secret volume %s of %s: no writing, no other users", Integer.toOctalString(mode), v, name)
              .isZero();
          for (JsonNode container : containers(doc)) {
            for (JsonNode mount : container.path("volumeMounts")) {
              if (mount.path("name").asText().equals(v)) {
                assertThat(mount.path("readOnly").asBoolean()).as("Secret volume %s of %s mounted read-only", v, name).isTrue();
                assertThat(mount.has("subPath")).as("a subPath mount would never see a renewed certificate").isFalse();
              }
            }
          }
          int uid = pod.path("securityContext").path("runAsUser").asInt(0);
          if (uid != 0 && (mode & 0004) == 0) {
            assertThat(pod.path("securityContext").path("fsGroup").asInt(-1))
                .as("%s runs as %d: the Secret's group must be its group to read mode %s", name, uid, Integer.toOctalString(mode))
                .isEqualTo(pod.path("securityContext").path("runAsGroup").asInt(-2));
            assertThat(mode & 0040).as("group-readable").isNotZero();
          }
        }
      }
      assertThat(files).as("3 files in each of the 5 JVMs' containers and 6 in etcd's").isEqualTo(21);
    }

    @Test
    void theJvmsGetOnlyVariablesTheJarsReadAndNoPassword() {
      Set<String> plaintext = docs.stream().flatMap(d -> containers(d).stream()).filter(c -> !c.path("name").asText().equals("etcd"))
          .flatMap(c -> envNames(c).stream()).collect(Collectors.toSet());
      Set<String> allowed = new TreeSet<>(plaintext);
      allowed.addAll(Set.of(EtcdSecurity.CACERT_VARIABLE, EtcdSecurity.CERT_VARIABLE, EtcdSecurity.KEY_VARIABLE));
      for (JsonNode doc : workloads()) {
        for (JsonNode container : containers(doc)) {
          if (container.path("name").asText().equals("etcd")) {
            continue;
          }
          List<String> names = envNames(container);
          assertThat(names).as("env of %s", doc.path("metadata").path("name").asText()).doesNotHaveDuplicates()
              .isSubsetOf(allowed).doesNotContain(EtcdSecurity.USER_VARIABLE, EtcdSecurity.PASSWORD_FILE_VARIABLE);
        }
      }
    }

    @Test
    void eachWorkloadIsTheEtcdUserOfLeastPrivilegeForWhatItDoes() {
      Map<String, String> users = new TreeMap<>();
      for (JsonNode doc : workloads()) {
        if (doc.path("kind").asText().equals("StatefulSet")) {
          continue;
        }
        JsonNode container = containers(doc).get(0);
        SecretFile cert = secretFile(doc, container, env(container, EtcdSecurity.CERT_VARIABLE).path("value").asText());
        users.put(doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText(),
            certificateFor(cert.namespace(), cert.secret()).path("spec").path("commonName").asText());
      }
      assertThat(users).containsExactlyInAnyOrderEntriesOf(Map.of(
          "Deployment monitor-server", AccessPlan.MONITOR_USER,
          "Job monitor-config-setup", AccessPlan.OPERATOR_USER,
          "Job monitor-access-init", "root",
          "Job monitor-node-" + TLS_NODE, "root",
          "DaemonSet monitor-agent-" + TLS_NODE, TLS_NODE));
    }

    @Test
    void theAgentRunsOnlyOnTheNodeItsCertificateNamesAndUnderThatName() {
      JsonNode ds = one(tlsDocs, "DaemonSet", "monitor-agent-" + TLS_NODE);
      JsonNode terms = podSpec(ds).path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution")
          .path("nodeSelectorTerms");
      assertThat(terms.size()).isEqualTo(1);
      JsonNode field = terms.get(0).path("matchFields");
      assertThat(field.size()).isEqualTo(1);
      assertThat(field.get(0).path("key").asText()).isEqualTo("metadata.name");
      assertThat(field.get(0).path("operator").asText()).isEqualTo("In");
      assertThat(strings(field.get(0).path("values"))).containsExactly(TLS_NODE);
      JsonNode agent = containers(ds).get(0);
      assertThat(env(agent, "NODE_NAME").path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("spec.nodeName");
      assertThat(ds.path("spec").path("selector").path("matchLabels").path("node").asText())
          .as("per-node DaemonSets must not select each other's pods").isEqualTo(TLS_NODE);
      assertThat(ds.path("spec").path("template").path("metadata").path("labels").path("app").asText()).isEqualTo("monitor-agent");
      SecretFile cert = secretFile(ds, agent, env(agent, EtcdSecurity.CERT_VARIABLE).path("value").asText());
      assertThat(cert.secret()).isEqualTo("etcd-client-node-" + TLS_NODE);
    }

    @Test
    void certManagerSignsEveryMountedSecretWithTheCaAndNamesTheHostsTheClientsDial() {
      JsonNode caIssuer = one(tlsDocs, "ClusterIssuer", "etcd-monitor-ca");
      List<JsonNode> certificates = ofKind(tlsDocs, "Certificate");
      List<JsonNode> cas = certificates.stream().filter(c -> c.path("spec").path("isCA").asBoolean()).toList();
      assertThat(cas).hasSize(1);
      JsonNode ca = cas.get(0);
      assertThat(caIssuer.path("spec").path("ca").path("secretName").asText()).isEqualTo(ca.path("spec").path("secretName").asText());
      JsonNode selfSigned = one(tlsDocs, "ClusterIssuer", ca.path("spec").path("issuerRef").path("name").asText());
      assertThat(selfSigned.path("spec").has("selfSigned")).isTrue();
      for (JsonNode c : certificates) {
        if (c != ca) {
          assertThat(c.path("spec").path("issuerRef").path("name").asText()).isEqualTo("etcd-monitor-ca");
          assertThat(c.path("spec").path("issuerRef").path("kind").asText()).isEqualTo("ClusterIssuer");
          assertThat(strings(c.path("spec").path("usages"))).contains("client auth");
        }
      }
      for (JsonNode doc : workloads()) {
        for (JsonNode volume : podSpec(doc).path("volumes")) {
          if (volume.has("secret")) {
            assertThat(certificateFor(doc.path("metadata").path("namespace").asText(), volume.path("secret").path("secretName").asText()))
                .isNotNull();
          }
        }
      }
      JsonNode server = certificateFor("etcd", "etcd-server-tls").path("spec");
      assertThat(strings(server.path("dnsNames"))).as("the hosts of ETCD_ENDPOINTS").containsAll(endpointHosts());
      assertThat(strings(server.path("usages"))).contains("server auth", "client auth");
      JsonNode peer = certificateFor("etcd", "etcd-peer-tls").path("spec");
      assertThat(strings(peer.path("dnsNames"))).as("the hosts of --initial-cluster").containsAll(peerHosts());
      assertThat(strings(peer.path("usages"))).contains("server auth", "client auth");
      assertThat(peer.path("commonName").asText()).isEqualTo(flags(etcdArgs()).get("--peer-cert-allowed-cn"));
    }

    @Test
    void pkiShMakesTheSecretsCertManagerWouldWithKeysTheJarsRead(@TempDir Path tmp) throws Exception {
      Assumptions.assumeTrue(onPath("openssl") && onPath("bash"), "k8s/tls/pki.sh needs bash and openssl");
      Path script = repo.resolve("k8s/tls/pki.sh");
      assertThat(pki(tmp, script, "init").exit()).isZero();
      assertThat(pki(tmp, script, "node", TLS_NODE).exit()).isZero();
      Run refused = pki(tmp, script, "node", AccessPlan.MONITOR_USER);
      assertThat(refused.exit()).as("a node may not take the monitor's etcd user").isEqualTo(2);
      assertThat(refused.stderr()).contains("'monitor' is an etcd user with another role");
      Run secrets = pki(tmp, script, "secrets");
      assertThat(secrets.exit()).as(secrets.stderr()).isZero();
      List<JsonNode> made = parseYaml(secrets.stdout());
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      List<JsonNode> certificates = ofKind(tlsDocs, "Certificate").stream().filter(c -> !c.path("spec").path("isCA").asBoolean()).toList();
      assertThat(made).as("one Secret per certificate cert-manager makes").hasSameSizeAs(certificates);
      for (JsonNode certificate : certificates) {
        String ns = certificate.path("metadata").path("namespace").asText();
        String name = certificate.path("spec").path("secretName").asText();
        JsonNode secret = made.stream().filter(s -> s.path("metadata").path("namespace").asText().equals(ns)
            && s.path("metadata").path("name").asText().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("pki.sh secrets makes no Secret " + ns + "/" + name));
        assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/tls");
        Path dir = Files.createDirectories(tmp.resolve("mounted").resolve(ns).resolve(name));
        for (String key : List.of("ca.crt", "tls.crt", "tls.key")) {
          Files.write(dir.resolve(key), Base64.getDecoder().decode(secret.path("data").path(key).asText()));
        }
        X509Certificate cert = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("tls.crt"))));
        X509Certificate caCert = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve("ca.crt"))));
        cert.verify(caCert.getPublicKey());
        JsonNode spec = certificate.path("spec");
        assertThat(cert.getSubjectX500Principal().getName()).as("subject of %s", name).isEqualTo("CN=" + spec.path("commonName").asText());
        List<String> sans = new ArrayList<>();
        if (cert.getSubjectAlternativeNames() != null) {
          cert.getSubjectAlternativeNames().forEach(san -> sans.add(String.valueOf(san.get(1))));
        }
        assertThat(sans).as("subjectAltName of %s", name).containsAll(strings(spec.path("dnsNames"))).containsAll(strings(spec.path("ipAddresses")));
        List<String> usages = new ArrayList<>();
        cert.getExtendedKeyUsage().forEach(oid -> usages.add(oid.equals("1.3.6.1.5.5.7.3.1") ? "server auth"
            : oid.equals("1.3.6.1.5.5.7.3.2") ? "client auth" : oid));
        assertThat(usages).as("extended key usages of %s", name).containsExactlyInAnyOrderElementsOf(
            strings(spec.path("usages")).stream().filter(u -> u.endsWith(" auth")).toList());
        if (ns.equals("monitor")) {
          EtcdSecurity security = EtcdSecurity.resolve(dir.resolve("ca.crt").toString(), dir.resolve("tls.crt").toString(),
              dir.resolve("tls.key").toString(), null, null, Map.of());
          assertThat(security.identity()).as("what the jars make of %s", name).isEqualTo("certificate CN=" + spec.path("commonName").asText());
        }
      }
    }

    @Test
    void theReadmeNamesEveryFileAndSecretOfTheVariant() throws IOException {
      String readme = Files.readString(repo.resolve("k8s/tls/README.md"));
      try (Stream<Path> files = Files.list(repo.resolve("k8s/tls"))) {
        for (Path file : files.toList()) {
          if (!file.getFileName().toString().equals("README.md")) {
            assertThat(readme).as("k8s/tls/README.md names %s", file.getFileName()).contains(file.getFileName().toString());
          }
        }
      }
      for (JsonNode certificate : ofKind(tlsDocs, "Certificate")) {
        assertThat(readme).contains(certificate.path("spec").path("secretName").asText().replace(TLS_NODE, "<node>"));
      }
      assertThat(readme).contains("pki.sh", "--enable-auth", "add-node", "remove-node");
    }

    private List<JsonNode> workloads() {
      return tlsDocs.stream().filter(d -> !containers(d).isEmpty()).toList();
    }

    private void samePlaintextWorkload(String kind, String plainName, String tlsName) {
      JsonNode plain = one(docs, kind, plainName);
      JsonNode tls = one(tlsDocs, kind, tlsName);
      String what = kind + " " + tlsName;
      plain.path("spec").fieldNames().forEachRemaining(field -> {
        if (!field.equals("template") && !field.equals("selector")) {
          assertThat(tls.path("spec").path(field)).as("%s: spec.%s", what, field).isEqualTo(plain.path("spec").path(field));
        }
      });
      assertThat(labels(tls.path("spec").path("selector").path("matchLabels"))).as("%s: selector", what)
          .containsAllEntriesOf(labels(plain.path("spec").path("selector").path("matchLabels")));
      JsonNode plainMeta = plain.path("spec").path("template").path("metadata");
      JsonNode tlsMeta = tls.path("spec").path("template").path("metadata");
      assertThat(labels(tlsMeta.path("labels"))).containsAllEntriesOf(labels(plainMeta.path("labels")));
      assertThat(tlsMeta.path("annotations")).as("%s: annotations", what).isEqualTo(plainMeta.path("annotations"));
      JsonNode plainPod = podSpec(plain);
      JsonNode tlsPod = podSpec(tls);
      for (String field : List.of("terminationGracePeriodSeconds", "restartPolicy", "tolerations")) {
        assertThat(tlsPod.path(field)).as("%s: %s", what, field).isEqualTo(plainPod.path(field));
      }
      for (String field : List.of("runAsNonRoot", "runAsUser", "runAsGroup")) {
        assertThat(tlsPod.path("securityContext").path(field)).as("%s: securityContext.%s", what, field)
            .isEqualTo(plainPod.path("securityContext").path(field));
      }
      assertThat(elements(tlsPod.path("volumes"))).as("%s: volumes", what).containsAll(elements(plainPod.path("volumes")));
      JsonNode plainC = containers(plain).get(0);
      JsonNode tlsC = containers(tls).get(0);
      for (String field : List.of("name", "image", "imagePullPolicy", "args", "ports", "livenessProbe", "readinessProbe",
          "resources", "securityContext")) {
        assertThat(tlsC.path(field)).as("%s: container %s", what, field).isEqualTo(plainC.path(field));
      }
      // The same command, but an agent's class-data archive is the one trained with TLS.
      assertThat(tlsC.path("command").toString()).as("%s: container command", what)
          .isEqualTo(plainC.path("command").toString().replace("/agent-host.jvm", "/agent-tls-host.jvm"));
      assertThat(elements(tlsC.path("volumeMounts"))).as("%s: volumeMounts", what).containsAll(elements(plainC.path("volumeMounts")));
      for (JsonNode e : plainC.path("env")) {
        if (!e.path("name").asText().equals("ETCD_ENDPOINTS")) {
          assertThat(env(tlsC, e.path("name").asText())).as("%s: env %s", what, e.path("name").asText()).isEqualTo(e);
        }
      }
    }

    /** The Secret volume and its key that {@code file} is in, as the container sees it. */
    private SecretFile secretFile(JsonNode doc, JsonNode container, String file) {
      for (JsonNode mount : container.path("volumeMounts")) {
        String dir = mount.path("mountPath").asText();
        if (file.startsWith(dir + "/")) {
          String volumeName = mount.path("name").asText();
          JsonNode volume = elements(podSpec(doc).path("volumes")).stream().filter(v -> v.path("name").asText().equals(volumeName))
              .findFirst().orElseThrow(() -> new AssertionError("no volume " + volumeName + " for mount " + dir));
          assertThat(volume.has("secret")).as("%s is in a Secret volume", file).isTrue();
          assertThat(volume.path("secret").has("items")).as("the Secret's keys are its files").isFalse();
          assertThat(mount.path("readOnly").asBoolean()).as("%s mounted read-only", dir).isTrue();
          return new SecretFile(doc.path("metadata").path("namespace").asText(), volume.path("secret").path("secretName").asText(),
              file.substring(dir.length() + 1));
        }
      }
      throw new AssertionError(file + " is in no volume that " + container.path("name").asText() + " mounts");
    }

    /** The Certificate that writes Secret {@code secret} in {@code namespace}. */
    private JsonNode certificateFor(String namespace, String secret) {
      List<JsonNode> matches = ofKind(tlsDocs, "Certificate").stream()
          .filter(c -> c.path("metadata").path("namespace").asText().equals(namespace)
              && c.path("spec").path("secretName").asText().equals(secret)).toList();
      assertThat(matches).as("a cert-manager Certificate for Secret %s/%s", namespace, secret).hasSize(1);
      return matches.get(0);
    }

    private List<String> etcdArgs() {
      return strings(containers(one(tlsDocs, "StatefulSet", "etcd")).get(0).path("args"));
    }

    private Set<String> endpointHosts() {
      JsonNode server = containers(one(tlsDocs, "Deployment", "monitor-server")).get(0);
      return EtcdEndpoints.parse(env(server, "ETCD_ENDPOINTS").path("value").asText(), "ETCD_ENDPOINTS").uris().stream()
          .map(URI::getHost).collect(Collectors.toSet());
    }

    private Set<String> peerHosts() {
      return Arrays.stream(flags(etcdArgs()).get("--initial-cluster").split(","))
          .map(member -> URI.create(member.substring(member.indexOf('=') + 1)).getHost()).collect(Collectors.toSet());
    }
  }

  /** Node names up to this long fit every name k8s/tls/agent-node.yaml makes (a Job's name holds at most 63). */
  private static final int MAX_NODE_NAME = 50;

  /** A file in a Secret volume: the Secret and its key. */
  private record SecretFile(String namespace, String secret, String key) {}

  private record Run(int exit, String stdout, String stderr) {}

  /** Runs k8s/tls/pki.sh with its PKI in {@code tmp}. */
  private static Run pki(Path tmp, Path script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
    pb.environment().put("PKI_DIR", tmp.resolve("pki").toString());
    Path out = tmp.resolve("pki.out");
    Path err = tmp.resolve("pki.err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("pki.sh " + String.join(" ", args) + " did not finish in 20 s");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private static boolean onPath(String program) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
  }

  /** The settings that name TLS files: the jars' variables, and etcd's flags. */
  private static Map<String, String> certificateSettings(JsonNode container) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode e : container.path("env")) {
      String name = e.path("name").asText();
      if (name.equals(EtcdSecurity.CACERT_VARIABLE) || name.equals(EtcdSecurity.CERT_VARIABLE) || name.equals(EtcdSecurity.KEY_VARIABLE)) {
        out.put(name, e.path("value").asText());
      }
    }
    flags(strings(container.path("args"))).forEach((flag, value) -> {
      if (flag.endsWith("-file") && !flag.equals("--crl-file")) {
        out.put(flag, value);
      }
    });
    return out;
  }

  /** The key of a kubernetes.io/tls Secret (as pki.sh and cert-manager write it) that a setting names. */
  private static String expectedKey(String setting) {
    if (setting.equals(EtcdSecurity.CACERT_VARIABLE) || setting.endsWith("trusted-ca-file")) {
      return "ca.crt";
    }
    if (setting.equals(EtcdSecurity.CERT_VARIABLE) || setting.endsWith("cert-file")) {
      return "tls.crt";
    }
    if (setting.equals(EtcdSecurity.KEY_VARIABLE) || setting.endsWith("key-file")) {
      return "tls.key";
    }
    throw new AssertionError("not a TLS file setting: " + setting);
  }

  /** {@code --flag=value} and bare {@code --flag} (value "") by flag. */
  private static Map<String, String> flags(List<String> args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      out.put(eq < 0 ? arg : arg.substring(0, eq), eq < 0 ? "" : arg.substring(eq + 1));
    }
    return out;
  }

  private static List<String> argsAfterJar(JsonNode doc) {
    List<String> command = strings(containers(doc).get(0).path("command"));
    return command.subList(command.indexOf("-jar") + 2, command.size());
  }

  private static List<String> envNames(JsonNode container) {
    List<String> out = new ArrayList<>();
    container.path("env").forEach(e -> out.add(e.path("name").asText()));
    return out;
  }

  private static Map<String, String> labels(JsonNode map) {
    Map<String, String> out = new TreeMap<>();
    map.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static List<JsonNode> elements(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static JsonNode podSpec(JsonNode doc) {
    return doc.path("spec").path("template").path("spec");
  }

  private static List<JsonNode> ofKind(List<JsonNode> in, String kind) {
    return in.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode one(List<JsonNode> in, String kind, String name) {
    List<JsonNode> matches = in.stream()
        .filter(d -> d.path("kind").asText().equals(kind) && d.path("metadata").path("name").asText().equals(name)).toList();
    assertThat(matches).as("one %s %s", kind, name).hasSize(1);
    return matches.get(0);
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
