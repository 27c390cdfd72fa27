package io.monitorlab.bench;

import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Keys;
import io.monitorlab.common.NodeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config group, against one real agent per run: a client put of a config -> the agent's UPDATED
 * line; and a switch from a 30 s to a 2 s interval -> the first iteration at 2 s. Runs on the
 * caller's thread.
 */
final class ConfigBench {
  static final String GROUP = "config";
  private static final Logger log = LoggerFactory.getLogger(ConfigBench.class);
  private static final Duration LINE_TIMEOUT = Duration.ofSeconds(5);
  private static final long NEW_INTERVAL_MS = 2000;
  private static final long TOLERANCE_MS = 5;

  private final BenchContext ctx;
  private final ConfigSettings settings;
  private final int runs;
  private final List<Double> firstPutToUpdated = new ArrayList<>();
  private final List<Double> putToUpdated = new ArrayList<>();
  private final List<Double> fsyncMs = new ArrayList<>();
  private final List<Double> putToAck = new ArrayList<>();
  private final List<Double> ackToUpdated = new ArrayList<>();
  private final List<Double> updatedToIteration = new ArrayList<>();
  private final List<Double> putToIteration = new ArrayList<>();
  private int missingUpdated;
  private int missingIteration;

  ConfigBench(BenchContext ctx, ConfigSettings settings, int runs) {
    this.ctx = ctx;
    this.settings = settings;
    this.runs = runs;
  }

  void run() throws Exception {
    for (int run = 1; run <= runs; run++) {
      String node = ctx.node("r" + run + "-c");
      String key = Keys.config(node);
      put(key, "{\"interval\": 30, \"metrics\": [\"cpu\"]}");
      try (Child agent = ctx.startAgent(node)) {
        if (agent.out().await(s -> s.startsWith("[Agent] Iteration 1: "), 0, BenchContext.START_TIMEOUT).isEmpty()) {
          throw new IllegalStateException("agent " + node + " printed no first iteration within "
              + BenchContext.START_TIMEOUT.toSeconds() + "s; see " + ctx.logDir().resolve(node + ".out"));
        }
        log.info("config run={}/{} updates={} interval_trials={}", run, runs, settings.updates(), settings.intervalTrials());
        EtcdMetrics before = EtcdMetrics.scrape(ctx.http());
        for (int k = 0; k < settings.updates(); k++) {
          updateTrial(agent, node, k);
          TimeUnit.MILLISECONDS.sleep(50 + ThreadLocalRandom.current().nextLong(100));
        }
        double fsync = EtcdMetrics.scrape(ctx.http()).meanFsyncMsSince(before);
        if (!Double.isNaN(fsync)) {
          fsyncMs.add(fsync);
        }
        for (int k = 0; k < settings.intervalTrials(); k++) {
          intervalTrial(agent, key, k);
          TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(500));
        }
        agent.terminate();
        agent.awaitExit(Duration.ofSeconds(5));
      } finally {
        EtcdClients.call(ctx.client().getKVClient().delete(EtcdClients.bytes(key)), ctx.endpoints());
      }
    }
    report();
  }

  /** The first update of a run is timed apart: it runs the agent's cold code path (class loading, interpreter). */
  private void updateTrial(Child agent, String node, int k) throws Exception {
    NodeConfig config = NodeConfig.parse("{\"interval\": 30, \"metrics\": [\"cpu\", \"u" + k + "\"]}");
    ConfigUpdate update = ConfigUpdate.time(ctx, agent, node, config);
    if (update.toUpdated().isPresent() && k == 0) {
      firstPutToUpdated.add(update.toUpdated().getAsDouble());
    } else if (update.toUpdated().isPresent()) {
      putToUpdated.add(update.toUpdated().getAsDouble());
      putToAck.add(update.toAck());
      ackToUpdated.add(update.ackToUpdated().getAsDouble());
    } else {
      missingUpdated++;
    }
  }

  /** The agent waits out 30 s; the switch to 2 s must bring the next iteration within 2 s. */
  private void intervalTrial(Child agent, String key, int k) throws Exception {
    NodeConfig fast = NodeConfig.parse("{\"interval\": 2, \"metrics\": [\"cpu\", \"i" + k + "\"]}");
    int from = agent.out().size();
    long sent = put(key, fast.toJson());
    Optional<LineLog.Line> updated = agent.out().await(Console.updated(fast.repr()), from, LINE_TIMEOUT);
    Optional<LineLog.Line> iteration = agent.out().await(Console.iteration(fast.intervalText(), fast.metricsRepr()), from,
        Duration.ofMillis(NEW_INTERVAL_MS).plus(LINE_TIMEOUT));
    if (updated.isEmpty() || iteration.isEmpty()) {
      missingIteration++;
    } else {
      putToIteration.add(Pace.ms(iteration.get().nanos() - sent));
      updatedToIteration.add(Pace.ms(iteration.get().nanos() - updated.get().nanos()));
    }
    // Back to 30 s: the pending 2 s wait ends with an iteration at 30 s, and the next one is far away.
    NodeConfig slow = NodeConfig.parse("{\"interval\": 30, \"metrics\": [\"cpu\", \"i" + k + "-reset\"]}");
    int resetFrom = agent.out().size();
    put(key, slow.toJson());
    agent.out().await(Console.iteration(slow.intervalText(), slow.metricsRepr()), resetFrom,
        Duration.ofMillis(NEW_INTERVAL_MS).plus(LINE_TIMEOUT));
  }

  /** Puts {@code value} and returns System.nanoTime() taken just before the call. */
  private long put(String key, String value) throws InterruptedException {
    long before = System.nanoTime();
    EtcdClients.call(ctx.client().getKVClient().put(EtcdClients.bytes(key), EtcdClients.bytes(value)), ctx.endpoints());
    return before;
  }

  private void report() {
    if (settings.updates() > 0) {
      ctx.report().add(new Figure(GROUP, "config put -> agent's UPDATED line", Units.MS, putToUpdated, missingUpdated,
          Goal.unit(Units.MS).median(5).p99(25), "jetcd put from the bench (same effect as etcdctl put, without its process "
              + "start); the first update of each run is the next row"));
      ctx.report().add(new Figure(GROUP, "first config put after agent start -> UPDATED", Units.MS, firstPutToUpdated, 0,
          Goal.measureOnly(), "one per run: the agent's cold code path (class loading, interpreted code)"));
      ctx.report().add(new Figure(GROUP, "  of which: put -> etcd's put response", Units.MS, putToAck, 0, Goal.measureOnly(),
          "etcd's commit (raft + WAL fsync) as the bench's client sees it"));
      ctx.report().add(new Figure(GROUP, "  of which: put response -> UPDATED line", Units.MS, ackToUpdated, 0, Goal.measureOnly(),
          "watch delivery to the agent + its parse, validation and print (the two overlap: etcd sends both at apply)"));
      ctx.report().add(new Figure(GROUP, "  etcd WAL fsync, mean over the updates", Units.MS, fsyncMs, 0, Goal.measureOnly(),
          "per run, from etcd's /metrics: every put waits for one"));
    }
    if (settings.intervalTrials() > 0) {
      ctx.report().add(new Figure(GROUP, "UPDATED (30 s -> 2 s) -> first iteration at 2 s", Units.MS, updatedToIteration,
          missingIteration, Goal.unit(Units.MS).max(NEW_INTERVAL_MS + TOLERANCE_MS),
          "goal: <= the new interval from when the agent applied it, + " + TOLERANCE_MS
              + " ms for timer wake-up and two stdout lines through a pipe"));
      ctx.report().add(new Figure(GROUP, "config put (30 s -> 2 s) -> first iteration at 2 s", Units.MS, putToIteration,
          missingIteration, Goal.measureOnly(), "= the row above + the put -> UPDATED delivery, which the agent cannot see"));
    }
  }
}
