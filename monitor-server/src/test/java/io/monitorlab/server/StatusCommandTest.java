package io.monitorlab.server;

import static io.monitorlab.server.EtcdOps.alive;
import static io.monitorlab.server.EtcdOps.heartbeatKey;
import static io.monitorlab.server.EtcdOps.leaving;
import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.cli.Cli;
import io.monitorlab.common.test.EtcdCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusCommandTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  /** Ten and a half seconds after the ts of {@link EtcdOps#alive}. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-11-23T22:13:30.623456Z"), ZoneOffset.UTC);

  private EtcdOps ops;

  @BeforeEach
  void clearKeys() throws Exception {
    ops = new EtcdOps(etcd.client());
    ops.clear();
  }

  private static CommandRun status() {
    return CommandRun.on(Cli.configure(new CommandLine(new StatusCommand(Map.of(), CLOCK))),
        "--endpoints", etcd.endpoints());
  }

  @Test
  void printsOneRowPerNodeWithItsStatusAndUtcTimeThenTheTotal() throws Exception {
    ops.beat("sc-worker-b", 30);
    ops.beat("sc-worker-a", 30);
    ops.put(heartbeatKey("sc-going"), leaving("sc-going"), 0);

    CommandRun run = status();

    assertThat(run.exit()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).containsExactly(
        "NODE         STATUS    LAST HEARTBEAT (UTC)         AGE",
        "sc-going     leaving   2024-11-23T22:13:29.500Z     1.1s",
        "sc-worker-a  alive     2024-11-23T22:13:20.123456Z  10.5s",
        "sc-worker-b  alive     2024-11-23T22:13:20.123456Z  10.5s",
        "[Status] Total alive: 3");
  }

  @Test
  void printsAnEmptyTableWhenNoNodeIsAlive() {
    CommandRun run = status();

    assertThat(run.exit()).isZero();
    assertThat(run.out()).containsExactly(
        "NODE  STATUS    LAST HEARTBEAT (UTC)         AGE",
        "[Status] Total alive: 0");
  }

  @Test
  void isWiredAsASubcommandOfTheMonitor() throws Exception {
    ops.beat("sc-wired", 30);

    CommandRun run = CommandRun.of("status", "--endpoints", etcd.endpoints());

    assertThat(run.exit()).isZero();
    assertThat(run.out()).hasSize(3).last().isEqualTo("[Status] Total alive: 1");
    assertThat(run.out().get(1)).startsWith("sc-wired  alive     2024-11-23T22:13:20.123456Z  ");
  }

  @Test
  void foreignNamesAndOddValuesDoNotBreakTheTable() throws Exception {
    ops.put(heartbeatKey("sc-a b"), alive("x"), 0);
    ops.put(heartbeatKey("sc-not-json"), "not json", 0);
    ops.put(heartbeatKey("sc-list"), "[1, 2]", 0);
    ops.put(heartbeatKey("sc-no-fields"), "{}", 0);
    ops.put(heartbeatKey("sc-forged"), "{\"status\": \"up\\n[Status] Total alive: 99\", \"ts\": \"soon\"}", 0);
    ops.put(heartbeatKey("sc-far"), "{\"status\": \"alive\", \"ts\": 1e300}", 0);
    ops.put(heartbeatKey("sc-inf"), "{\"status\": \"alive\", \"ts\": Infinity}", 0);
    ops.put(heartbeatKey("sc-neg"), "{\"status\": \"alive\", \"ts\": -1e300}", 0);

    CommandRun run = status();

    assertThat(run.exit()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).hasSize(10).last().isEqualTo("[Status] Total alive: 8");
    assertThat(run.out()).filteredOn(l -> l.startsWith("[Status]")).hasSize(1);
    assertThat(run.out()).anySatisfy(l -> assertThat(l).matches("sc-a\\\\x20b\\s+alive\\s+2024-11-23T22:13:20\\.123456Z\\s+10\\.5s"));
    assertThat(run.out()).anySatisfy(l -> assertThat(l).matches("sc-not-json\\s+\\?\\s+-\\s+-"));
    assertThat(run.out()).anySatisfy(l -> assertThat(l).matches("sc-list\\s+\\?\\s+-\\s+-"));
    assertThat(run.out()).anySatisfy(l -> assertThat(l).matches("sc-no-fields\\s+\\?\\s+-\\s+-"));
    assertThat(run.out()).anySatisfy(l -> assertThat(l).matches("sc-forged\\s+up\\\\x0a\\[Status\\] Total alive: 99\\s+-\\s+-"));
    for (String node : new String[] {"sc-far", "sc-inf", "sc-neg"}) {
      assertThat(run.out()).anySatisfy(l -> assertThat(l).matches(node + "\\s+alive\\s+-\\s+-"));
    }
  }

  @Test
  void anUnreachableEtcdFailsWithOneLine() throws Exception {
    String endpoint = "127.0.0.1:" + Ports.closed();
    long start = System.nanoTime();

    CommandRun run = CommandRun.of("status", "--endpoints", endpoint);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).singleElement().asString()
        .startsWith("monitor-server status: cannot reach etcd at " + endpoint + " (from --endpoints): ")
        .endsWith("; check that etcd runs there and that --endpoints/ETCD_ENDPOINTS is right");
  }

  @Test
  void rejectsABadEndpointWithExitTwo() {
    CommandRun run = CommandRun.of("status", "--endpoints", "h:0");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).singleElement().asString().contains("--endpoints");
  }
}
