package io.monitorlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.OneLine;
import io.monitorlab.server.fleet.FleetEvent.Staleness;
import io.monitorlab.server.fleet.FleetEvent.Transition;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.fleet.NodeView;
import io.monitorlab.server.fleet.Reason;
import io.monitorlab.server.fleet.Source;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MonitorPrinterTest {
  private static final String VALUE = "{\"status\": \"alive\", \"ts\": 1732400000.123456, \"hostname\": \"worker1\"}";

  private final StringWriter text = new StringWriter();
  private final MonitorPrinter printer = new MonitorPrinter(new PrintWriter(text));

  private static Transition t(String node, Reason reason, String value) {
    NodeView view = new NodeView(node, reason.state(), 1.0, Double.NaN, null, 0, null, null, null);
    return new Transition(view, reason, 1, Source.WATCH, 1.0, value);
  }

  private List<String> lines() {
    return text.toString().lines().toList();
  }

  @Test
  void theHeaderNamesThePrefixAndTheEndpoint() {
    printer.header(EtcdEndpoints.parse(EtcdEndpoints.LAB_DEFAULT, "default"));

    assertThat(lines()).containsExactly(
        "[Monitor] Starting heartbeat monitor...",
        "[Monitor] Watching prefix: /monitor/heartbeat/",
        "[Monitor] etcd endpoint: etcd-0.etcd-service.etcd.svc.cluster.local:2379");
  }

  @Test
  void theHeaderJoinsSeveralEndpointsAsEtcdctlTakesThem() {
    printer.header(EtcdEndpoints.parse("http://127.0.0.1:2379, 10.0.0.2:2380", "--endpoints"));

    assertThat(lines()).last().isEqualTo("[Monitor] etcd endpoint: 127.0.0.1:2379,10.0.0.2:2380");
  }

  @Test
  void transitionsPrintTheLabLines() {
    printer.transition(t("worker1", Reason.WRITTEN, VALUE));
    printer.transition(t("worker1", Reason.EXPIRED, ""));
    printer.transition(t("worker1", Reason.LEFT, ""));

    assertThat(lines()).containsExactly(
        "[+] Node worker1 ALIVE -> " + VALUE,
        "[-] Node worker1 DEAD (lease expired)",
        "[-] Node worker1 LEFT (graceful shutdown)");
  }

  @Test
  void statusPrintsThePythonListAndTheCount() {
    printer.status(List.of("worker1", "worker2"));
    printer.status(List.of());

    assertThat(lines()).containsExactly(
        "[Status] Currently ALIVE nodes: ['worker1', 'worker2']",
        "[Status] Total alive: 2",
        "[Status] Currently ALIVE nodes: []",
        "[Status] Total alive: 0");
  }

  @Test
  void foreignNodeNamesAreEscapedTheSameWayInEveryLine() {
    List<String> names = List.of("a/b", "", "a\nb", "caf\u00e9", "\u7bc0\u70b9", "a b", "..", "-x", "\ud83d\ude00");
    List<String> shown = List.of("a\\x2fb", "''", "a\\x0ab", "caf\\xe9", "\\u7bc0\\u70b9", "a\\x20b", "..", "-x",
        "\\ud83d\\ude00");

    for (int i = 0; i < names.size(); i++) {
      printer.transition(t(names.get(i), Reason.EXPIRED, ""));
      printer.transition(t(names.get(i), Reason.WRITTEN, "v"));
    }
    printer.status(List.of("a/b", "", "a\nb"));

    List<String> expected = new java.util.ArrayList<>();
    for (String s : shown) {
      expected.add("[-] Node " + s + " DEAD (lease expired)");
      expected.add("[+] Node " + s + " ALIVE -> v");
    }
    expected.add("[Status] Currently ALIVE nodes: ['a\\x2fb', '', 'a\\x0ab']");
    expected.add("[Status] Total alive: 3");
    assertThat(lines()).containsExactlyElementsOf(expected);
  }

  @Test
  void aForeignNameCannotForgeALine() {
    printer.transition(t("x ALIVE -> {}\n[-] Node worker1 DEAD (lease expired)", Reason.WRITTEN, "{}"));

    assertThat(lines()).hasSize(1).first().asString()
        .startsWith("[+] Node x\\x20ALIVE\\x20-\\x3e\\x20")
        .doesNotContain(" DEAD ");
  }

  @Test
  void controlCharactersInAValueAreEscapedAndTheRestIsKept() {
    String value = "{\"a\": \"x\ny\r\tz\u001b[31m\u007f\u0085\u2028\u2029\", \"b\": \"caf\u00e9 \u7bc0\"}";

    printer.transition(t("worker1", Reason.WRITTEN, value));

    assertThat(lines()).containsExactly(
        "[+] Node worker1 ALIVE -> {\"a\": \"x\\x0ay\\x0d\\x09z\\x1b[31m\\x7f\\x85\\u2028\\u2029\", \"b\": \"caf\u00e9 \u7bc0\"}");
  }

  private static Staleness staleness(String node, boolean stale, Duration silence, Duration expected) {
    NodeView view = new NodeView(node, NodeState.ALIVE, 1.0, Double.NaN, null, 0, null, null, null, stale);
    return new Staleness(view, stale, silence, expected, 7, Source.WATCH, 2.0);
  }

  @Test
  void aStaleNodeAndItsRecoveryAreOneLineEachBesideItsState() {
    printer.staleness(staleness("worker1", true, Duration.ofMillis(9140), Duration.ofMillis(2500)));
    printer.staleness(staleness("worker1", false, Duration.ofMillis(12_345), Duration.ofMillis(2500)));
    printer.staleness(staleness("lease-node", true, Duration.ofMillis(180_900), Duration.ofSeconds(60)));
    printer.staleness(staleness("a\nb", true, Duration.ofSeconds(6), Duration.ofSeconds(1)));

    assertThat(lines()).containsExactly(
        "[!] Node worker1 STALE (heartbeat value not rewritten for 9.1 s, expected every 2.5 s: its lease is kept alive "
            + "without its agent writing)",
        "[!] Node worker1 FRESH (heartbeat value rewritten again after 12.3 s)",
        "[!] Node lease-node STALE (heartbeat value not rewritten for 180.9 s, expected every 60.0 s: its lease is kept alive "
            + "without its agent writing)",
        "[!] Node a\\x0ab STALE (heartbeat value not rewritten for 6.0 s, expected every 1.0 s: its lease is kept alive "
            + "without its agent writing)");
  }

  @Test
  void deathsFoundByAListingSayWhatWasSeen() {
    printer.transition(t("worker1", Reason.RELISTED, ""));
    printer.transition(t("worker2", Reason.MISSING, ""));

    assertThat(lines()).containsExactly(
        "[-] Node worker1 DEAD (heartbeat key missing when listed again)",
        "[-] Node worker2 DEAD (registered but no heartbeat key)");
  }

  @Test
  void oneLineKeepsAnOrdinaryValueUnchanged() {
    assertThat(OneLine.of(VALUE)).isEqualTo(VALUE);
    assertThat(OneLine.of("")).isEmpty();
  }
}
