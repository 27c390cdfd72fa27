package io.monitorlab.bench;

import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Keys;
import io.monitorlab.common.NodeConfig;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * One timed config update, on the bench's clock: a jetcd put of the node's config key (same effect as
 * {@code etcdctl put}, without its process start) -> the agent's {@code [Config] UPDATED} line, split at etcd's
 * put response. Immutable.
 *
 * @param toAck put -> etcd's put response, ms (etcd's commit as the bench's client sees it)
 * @param toUpdated put -> UPDATED line, ms; empty when the line did not come within the timeout
 */
record ConfigUpdate(double toAck, OptionalDouble toUpdated) {
  static final Duration LINE_TIMEOUT = Duration.ofSeconds(5);

  /** Puts {@code config} for {@code agent}'s node through {@code ctx}'s client and waits for the agent's line. */
  static ConfigUpdate time(BenchContext ctx, Child agent, String node, NodeConfig config) throws InterruptedException {
    int from = agent.out().size();
    long sent = System.nanoTime();
    EtcdClients.call(ctx.client().getKVClient().put(EtcdClients.bytes(Keys.config(node)), EtcdClients.bytes(config.toJson())),
        ctx.endpoints());
    long acked = System.nanoTime();
    OptionalDouble updated = agent.out().await(Console.updated(config.repr()), from, LINE_TIMEOUT)
        .map(l -> OptionalDouble.of(Pace.ms(l.nanos() - sent))).orElse(OptionalDouble.empty());
    return new ConfigUpdate(Pace.ms(acked - sent), updated);
  }

  /** Put response -> UPDATED line, ms (watch delivery and the agent's own work), when the line came. */
  OptionalDouble ackToUpdated() {
    return toUpdated.isPresent() ? OptionalDouble.of(toUpdated.getAsDouble() - toAck) : OptionalDouble.empty();
  }
}
