package io.monitorlab.it.fault;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.PutResponse;
import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.EtcdCtl;
import io.monitorlab.it.support.EtcdDiagnostics;
import io.monitorlab.it.support.LeaderTracker;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Match;
import io.monitorlab.it.support.MemberClients;
import io.monitorlab.it.support.Nodes;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.Quiet;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.Timing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Never lie about liveness", property 5: config is never lost or reordered. A burst of puts is
 * applied one by one in revision order and ends on the last value; an agent cut off from etcd keeps
 * its last good config and catches up when it can reach etcd again. Real agent jar, 3-member etcd.
 */
@Tag("fault")
@Timeout(90)
class ConfigNeverLostIT {
  private static final Duration START = ofSeconds(30);
  private static final Pattern SEQ = Pattern.compile(".*'seq-(\\d{3})'.*");

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.of(3);
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));

  @Test
  void aHundredPutsInOneSecondAreEachAppliedOnceInRevisionOrderAndTheAgentEndsOnTheLast() throws Exception {
    String node = Nodes.unique("config-burst");
    String key = Keys.config(node);
    put(key, "{\"interval\": 1, \"metrics\": [\"cpu\", \"initial\"]}");
    RunningProcess agent = processes.start(node, Command.agent("config-watch", "--node", node, "--endpoints", etcd.endpoints()));
    agent.awaitLine(Match.exact("[Agent] Loaded initial config: {'interval': 1, 'metrics': ['cpu', 'initial']}"), START);
    agent.awaitLine(Match.prefix("[Agent] Iteration 1: "), START);

    // All 100 in flight at once, as fast as etcd takes them; their revisions say the order etcd applied them in.
    long t0 = System.nanoTime();
    List<CompletableFuture<PutResponse>> puts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      puts.add(etcd.client().getKVClient().put(bytes(key), bytes(String.format("{\"interval\": 1, \"metrics\": [\"cpu\", \"seq-%03d\"]}", i))));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    Duration putting = Timing.report("100 config puts", Timing.between(t0, System.nanoTime()), ofSeconds(1));
    List<Integer> byRevision = IntStream.range(0, 100).boxed()
        .sorted(Comparator.comparingLong(i -> puts.get(i).join().getHeader().getRevision())).toList();
    int lastValue = byRevision.get(99);
    Line last = agent.awaitLine(Match.exact(updated(lastValue)), ofSeconds(10));
    Timing.report("all 100 puts acknowledged -> the last value's [Config] UPDATED", last.since(t0).minus(putting), ofSeconds(1));
    Quiet.assertNoNewLineFor(agent, Match.prefix("[Config] "), ofSeconds(1), "after the last UPDATED");
    Line next = agent.awaitLineAfter(last, Match.prefix("[Agent] Iteration "), ofSeconds(3));

    assertThat(agent.stdoutMatching(Match.prefix("[Config] ")).stream().map(Line::text).toList())
        .as("one UPDATED line per put, in revision order")
        .containsExactlyElementsOf(byRevision.stream().map(ConfigNeverLostIT::updated).toList());
    assertThat(next.text()).as("the work loop runs on the last value")
        .endsWith(String.format(": interval=1s, metrics=['cpu', 'seq-%03d']", lastValue));
    List<Integer> rank = seqOfIterations(agent).stream().map(byRevision::indexOf).toList();
    assertThat(rank).as("the iterations never go back to an older config (positions in revision order)").isSorted();
    assertThat(agent.stderrText()).noneMatch(l -> l.contains("Exception in thread"));
  }

  @Test
  void anAgentCutOffByAFrozenMemberKeepsItsLastGoodConfigAndCatchesUpWhenTheMemberResumes() {
    cutOff("frozen", false);
  }

  @Test
  void anAgentCutOffByADeadMemberKeepsItsLastGoodConfigAndCatchesUpWhenItReconnects() {
    cutOff("killed", true);
  }

  /**
   * The agent reaches etcd only through one follower; that member is frozen (or killed) while an
   * operator changes the config through the others; then it comes back.
   */
  private void cutOff(String how, boolean kill) {
    String node = Nodes.unique("config-" + how);
    String key = Keys.config(node);
    int reachable;
    try (LeaderTracker leaders = LeaderTracker.start(etcd)) {
      // A follower: losing it leaves the cluster its leader, so operators can still write.
      reachable = (leaders.leaderIndex() + 1) % 3;
    }
    put(key, "{\"interval\": 1, \"metrics\": [\"cpu\", \"before\"]}");
    RunningProcess agent = processes.start(node,
        Command.agent("--node", node, "--endpoints", etcd.member(reachable).endpoint()));
    agent.awaitLine(Match.exact("[Agent] Loaded initial config: {'interval': 1, 'metrics': ['cpu', 'before']}"), START);
    Line iteration = agent.awaitLine(Match.prefix("[Agent] Iteration 1: "), START);

    if (kill) {
      etcd.kill(reachable);
    } else {
      etcd.pause(reachable);
    }
    long cut = System.nanoTime();
    System.out.println("[fault] m" + reachable + " " + how + ", the only member " + node + " can reach");
    new EtcdCtl(processes, MemberClients.endpoints(etcd, MemberClients.allBut(etcd, reachable)))
        .put(key, "{\"interval\": 2, \"metrics\": [\"cpu\", \"meanwhile\"]}");
    Quiet.assertNoNewLineFor(agent, Match.prefix("[Config] "), ofSeconds(5), "while the agent was cut off");
    List<String> during = agent.stdout().stream().filter(l -> l.nanos() - cut > 0)
        .map(Line::text).filter(l -> l.startsWith("[Agent] Iteration ")).toList();
    if (kill) {
      heal();
    } else {
      etcd.resume(reachable);
    }
    long back = System.nanoTime();
    Line updated = agent.awaitLineSince(back,
        Match.exact("[Config] UPDATED config from etcd: {'interval': 2, 'metrics': ['cpu', 'meanwhile']}"), ofSeconds(20));
    Duration catchUp = Timing.report("config: member " + how + " back -> the agent applies the config put meanwhile",
        updated.since(back), ofSeconds(10));
    Line next = agent.awaitLineAfter(updated, Match.prefix("[Agent] Iteration "), ofSeconds(5));

    assertThat(iteration.text()).endsWith(": interval=1s, metrics=['cpu', 'before']");
    assertThat(during).as("iterations while cut off keep the last good config").hasSizeGreaterThanOrEqualTo(3)
        .allMatch(l -> l.endsWith(": interval=1s, metrics=['cpu', 'before']"));
    assertThat(catchUp).as("catches up within 10 s of etcd being reachable").isLessThanOrEqualTo(ofSeconds(10));
    assertThat(next.text()).endsWith(": interval=2s, metrics=['cpu', 'meanwhile']");
    assertThat(agent.stdoutMatching(Match.prefix("[Config] UPDATED "))).as("applied once").hasSize(1);
    assertThat(agent.stderrText()).noneMatch(l -> l.contains("Exception in thread"));
  }

  private static void heal() {
    try {
      etcd.heal();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String updated(int i) {
    return String.format("[Config] UPDATED config from etcd: {'interval': 1, 'metrics': ['cpu', 'seq-%03d']}", i);
  }

  private static List<Integer> seqOfIterations(RunningProcess agent) {
    List<Integer> seqs = new ArrayList<>();
    for (String l : agent.stdoutText()) {
      Matcher m = SEQ.matcher(l);
      if (l.startsWith("[Agent] Iteration ") && m.matches()) {
        seqs.add(Integer.parseInt(m.group(1)));
      }
    }
    return seqs;
  }

  private static long put(String key, String value) {
    try {
      return etcd.client().getKVClient().put(bytes(key), bytes(value)).get(5, TimeUnit.SECONDS).getHeader().getRevision();
    } catch (Exception e) {
      throw new IllegalStateException("put " + key + " failed: " + e, e);
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
