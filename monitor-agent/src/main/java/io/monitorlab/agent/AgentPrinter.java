package io.monitorlab.agent;

import io.monitorlab.common.NodeConfig;
import io.monitorlab.common.OneLine;
import java.io.PrintWriter;

/**
 * Writes the agent's console lines (DESIGN.md) to stdout, one whole line at a time.
 * This class is thread-safe.
 */
final class AgentPrinter {
  private final PrintWriter out;

  AgentPrinter(PrintWriter out) {
    this.out = out;
  }

  synchronized void leaseCreated(long ttlSeconds, long leaseId) {
    line("[Heartbeat] Lease created with TTL " + ttlSeconds + " seconds, ID: " + leaseId);
  }

  synchronized void heartbeatKey(String node, String key) {
    line("[Heartbeat] Node: " + node + ", Key: " + key);
  }

  synchronized void sent(String node) {
    line("[Heartbeat] Sent for " + node);
  }

  synchronized void leaseLost(String node, long leaseId, String reason) {
    line("[Heartbeat] Lease " + leaseId + " lost for " + node + " (" + reason + "), registering again");
  }

  synchronized void conflict(String node, long otherLease, String otherValue) {
    line("[Heartbeat] CONFLICT: node " + node + " is already registered by another agent (lease " + otherLease
        + ", value " + OneLine.of(otherValue) + "); not overwriting it, waiting for it to go");
  }


  synchronized void leaving(String node) {
    line("[Heartbeat] Leaving: " + node + " announced graceful shutdown");
  }

  synchronized void watcherStarting(String node, String key) {
    line("[Agent] Starting config watcher for node: " + node);
    line("[Agent] Config key: " + key);
  }

  synchronized void noConfig(String key, NodeConfig fallback) {
    line("[Config] No config found at " + key + ", using default: " + fallback.repr());
  }

  synchronized void initialConfig(NodeConfig config) {
    line("[Agent] Loaded initial config: " + config.repr());
  }

  synchronized void updated(NodeConfig config) {
    line("[Config] UPDATED config from etcd: " + config.repr());
  }

  synchronized void rejected(long revision, String reason, NodeConfig kept) {
    line("[Config] REJECTED config at revision " + revision + ": " + reason + "; keeping " + kept.repr());
  }

  synchronized void deleted(long revision, NodeConfig kept) {
    line("[Config] Config key deleted at revision " + revision + "; keeping " + kept.repr());
  }

  synchronized void iteration(long n, NodeConfig config) {
    line("[Agent] Iteration " + n + ": interval=" + config.intervalText() + "s, metrics=" + config.metricsRepr());
  }

  /** A {@code [Metrics] ...} line, whole (see MetricsCollector). */
  synchronized void metricsLine(String line) {
    line(OneLine.of(line));
  }

  private void line(String s) {
    out.println(s);
    out.flush();
  }
}
