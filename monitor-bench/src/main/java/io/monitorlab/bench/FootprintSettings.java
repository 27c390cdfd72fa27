package io.monitorlab.bench;

import java.time.Duration;

/**
 * The footprint group's settings, per run. Immutable.
 *
 * @param starts agent starts timed to the heartbeat key becoming visible
 * @param rssAfter when after the agent's start its RSS is read
 * @param idle the window over which idle CPU is measured (after {@code rssAfter})
 */
record FootprintSettings(int starts, Duration rssAfter, Duration idle) {
  FootprintSettings {
    Check.range("--starts", starts, 0, 1000);
    Check.range("--rss-after", rssAfter, Duration.ofSeconds(1), Duration.ofHours(1));
    Check.range("--idle", idle, Duration.ofSeconds(10), Duration.ofHours(2));
  }
}
