package io.monitorlab.bench;

import java.time.Duration;

/**
 * The tls group's settings, per run and per side (plaintext, TLS). Immutable.
 *
 * @param starts agent starts timed to the heartbeat key becoming visible
 * @param agents agents run side by side for RSS, idle CPU and config updates
 * @param updates config puts per agent timed to its UPDATED line, after the idle window
 * @param rssAfter when after the agents' start their RSS is read
 * @param idle the window over which idle CPU is measured (after {@code rssAfter})
 */
record TlsSettings(int starts, int agents, int updates, Duration rssAfter, Duration idle) {
  TlsSettings {
    Check.range("--starts", starts, 1, 1000);
    Check.range("--agents", agents, 1, 10);
    Check.range("--updates", updates, 0, 1000);
    Check.range("--rss-after", rssAfter, Duration.ofSeconds(1), Duration.ofHours(1));
    Check.range("--idle", idle, Duration.ofSeconds(10), Duration.ofHours(2));
  }
}
