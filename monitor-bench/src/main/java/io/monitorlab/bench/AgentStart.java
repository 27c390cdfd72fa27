package io.monitorlab.bench;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * One timed agent start, on the bench's clock: fork of {@code java -jar} -> the bench's own watch sees the PUT of
 * the node's heartbeat key; and on the way there the agent's lines that split it up: its first line (its etcd
 * client is built, no connection yet), the lease line (the first answer over its connection) and the first
 * {@code [Heartbeat] Sent} line. A line that never came is empty. Immutable.
 *
 * @param toKey fork -> key visible, ms
 * @param toClient fork -> {@code [Agent] Starting config watcher} line, ms
 * @param toLease fork -> {@code [Heartbeat] Lease created} line, ms
 * @param toSent fork -> first {@code [Heartbeat] Sent} line, ms
 */
record AgentStart(double toKey, OptionalDouble toClient, OptionalDouble toLease, OptionalDouble toSent) {
  static final Duration KEY_TIMEOUT = Duration.ofSeconds(15);

  /**
   * Starts an agent for {@code node} through {@code ctx}, waits for its key and lines, stops it with SIGTERM;
   * empty when the key did not show within {@link #KEY_TIMEOUT}.
   */
  static Optional<AgentStart> time(BenchContext ctx, KeyEvents keys, String node) throws Exception {
    try (Child agent = ctx.startAgent(node)) {
      long forked = agent.startedNanos();
      OptionalLong put = keys.awaitPut(node, KEY_TIMEOUT);
      if (put.isEmpty()) {
        return Optional.empty();
      }
      // The lines were printed before the key showed; waiting covers only their trip through the pipe.
      AgentStart start = new AgentStart(Pace.ms(put.getAsLong() - forked),
          since(agent, forked, Console.watcherStarting(node)), since(agent, forked, Console.leaseCreated()),
          since(agent, forked, Console.sent(node)));
      agent.terminate();
      agent.awaitExit(Duration.ofSeconds(5));
      return Optional.of(start);
    }
  }

  private static OptionalDouble since(Child agent, long forked, Predicate<String> line) throws InterruptedException {
    return agent.out().await(line, 0, KEY_TIMEOUT).map(l -> OptionalDouble.of(Pace.ms(l.nanos() - forked)))
        .orElse(OptionalDouble.empty());
  }
}
