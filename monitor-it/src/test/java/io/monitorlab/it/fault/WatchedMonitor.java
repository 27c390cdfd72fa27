package io.monitorlab.it.fault;

import static io.monitorlab.it.support.Transitions.State.ALIVE;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Match;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.Quiet;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.Transitions;
import io.monitorlab.it.support.Transitions.Transition;
import io.monitorlab.it.support.WatchRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real monitor with a {@code --transition-log}, read for the transitions of one test's nodes (named
 * {@code <base>-...}): waits for them to settle and compares them with what etcd recorded.
 */
final class WatchedMonitor {
  private static final Duration START = ofSeconds(30);

  final RunningProcess process;
  final Path log;
  private final String base;
  private final Predicate<String> ours;

  private WatchedMonitor(RunningProcess process, Path log, String base) {
    this.process = process;
    this.log = log;
    this.base = base;
    this.ours = n -> n.startsWith(base + "-");
  }

  static WatchedMonitor start(Processes processes, EtcdCluster etcd, Path log, String base) {
    RunningProcess monitor = processes.start("monitor",
        Command.server("--endpoints", etcd.endpoints(), "--transition-log", log.toString()));
    monitor.awaitLine(Match.prefix("[Status] Total alive: "), START);
    return new WatchedMonitor(monitor, log, base);
  }

  Predicate<String> ours() {
    return ours;
  }

  /** The [+]/[-] lines about this test's nodes so far. */
  List<Transition> printed() {
    return Transitions.printed(process.stdoutText(), ours);
  }

  /** The [+]/[-] lines about this test's nodes from stdout line {@code from} on. */
  List<Transition> printedSince(int from) {
    return Transitions.printed(process.stdout().subList(from, process.stdout().size()).stream().map(Line::text).toList(), ours);
  }

  void awaitPrinted(int count) {
    Awaitility.await().atMost(ofSeconds(10)).until(() -> printed().size() == count);
  }

  /**
   * Waits until the record is complete ({@code etcdDone}) and the monitor has printed as many lines as
   * it implies, then 2 s more without a line about these nodes.
   */
  void awaitSettled(WatchRecord record, BooleanSupplier etcdDone) {
    try {
      Awaitility.await().atMost(ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> etcdDone.getAsBoolean()
          && printed().size() >= implied(record).size());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(Transitions.compareConsole(implied(record), printed()), e);
    }
    int count = printed().size();
    Quiet.holdFor(ofSeconds(2), "no further transition line", () -> printed().size() == count);
  }

  /** Property 3: the console lines and the transition log say what the etcdctl record implies, in order, each once. */
  void assertMatches(WatchRecord record) {
    List<Transition> implied = implied(record);
    System.out.println("[fault] " + implied.size() + " transitions recorded by etcdctl watch");
    assertThat(Transitions.compareConsole(implied, printed())).as("console lines vs etcdctl watch").isEmpty();
    assertThat(Transitions.compareLog(implied, Transitions.logged(log, ours))).as("--transition-log vs etcdctl watch").isEmpty();
  }

  List<Transition> implied(WatchRecord record) {
    return Transitions.implied(record.events(), Keys.HEARTBEAT_PREFIX, ours);
  }

  /**
   * Waits until the lines bring the monitor to {@code present} (suffixes after {@code <base>-}), then 3 s
   * more without a line about these nodes; checks that no line repeats a node's state and that the last
   * status line agrees. Returns the lines since stdout line {@code from}.
   */
  List<Transition> awaitFinalState(int from, Set<String> present) {
    Set<String> expected = new LinkedHashSet<>();
    present.forEach(p -> expected.add(base + "-" + p));
    try {
      Awaitility.await().atMost(ofSeconds(20)).until(() -> presentAfter(printed()).equals(expected));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("the monitor did not reach the final state " + expected + "; it reported " + printed(), e);
    }
    int count = printed().size();
    Quiet.holdFor(ofSeconds(3), "no further line about these nodes", () -> printed().size() == count);
    assertNoRepeatedState(printed());
    assertThat(lastStatus()).as("the last [Status] line").containsExactlyElementsOf(expected.stream().sorted().toList());
    return printedSince(from);
  }

  /** The nodes of this test in the last {@code [Status] Currently ALIVE nodes:} line. */
  List<String> lastStatus() {
    List<Line> status = process.stdoutMatching(Match.prefix("[Status] Currently ALIVE nodes: ["));
    assertThat(status).as("a [Status] line").isNotEmpty();
    String list = status.get(status.size() - 1).text().replaceFirst("^\\[Status] Currently ALIVE nodes: \\[", "").replaceFirst("]$", "");
    List<String> names = new ArrayList<>();
    for (String s : list.split(", ")) {
      String name = s.replace("'", "");
      if (ours.test(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /** "suffix STATE" of each transition, e.g. {@code dies DEAD}. */
  List<String> shortly(List<Transition> ts) {
    return ts.stream().map(t -> t.node().substring(base.length() + 1) + " " + t.state()).toList();
  }

  /** What the monitor said about its contact with etcd and its watch history, for the build log. */
  void reportNotes() {
    process.stdoutMatching(Match.prefix("[Monitor] ")).stream().skip(3)
        .forEach(l -> System.out.println("[fault] monitor said: " + l.text()));
    process.stderrText().stream().filter(l -> l.contains("compacted") || l.contains("listed heartbeats"))
        .forEach(l -> System.out.println("[fault] monitor logged: " + l));
  }

  /** A transition to the state a node is already in would be a duplicate: ALIVE and gone must alternate. */
  static void assertNoRepeatedState(List<Transition> all) {
    Map<String, Transitions.State> last = new TreeMap<>();
    for (Transition t : all) {
      Transitions.State before = last.put(t.node(), t.state());
      boolean alternates = before == null ? t.state() == ALIVE : (before == ALIVE) != (t.state() == ALIVE);
      assertThat(alternates).as("%s follows %s for %s: a duplicate (all lines: %s)", t.state(), before, t.node(), all).isTrue();
    }
  }

  private static Set<String> presentAfter(List<Transition> printed) {
    Set<String> present = new LinkedHashSet<>();
    for (Transition t : printed) {
      if (t.state() == ALIVE) {
        present.add(t.node());
      } else {
        present.remove(t.node());
      }
    }
    return present;
  }
}
