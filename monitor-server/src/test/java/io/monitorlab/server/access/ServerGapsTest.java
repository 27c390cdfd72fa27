package io.monitorlab.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerGapsTest {
  @Test
  void debianTwelvesEtcdHasAllThreeKnownGaps() {
    assertThat(ServerGaps.of("3.4.23")).hasSize(3)
        .anySatisfy(g -> assertThat(g).startsWith("CVE-2026-33413").contains("3.4.42"))
        .anySatisfy(g -> assertThat(g).contains("watch").contains("3.5.33"))
        .anySatisfy(g -> assertThat(g).startsWith("CVE-2026-33343"));
  }

  @Test
  void fixedReleasesHaveOnlyWhatTheirLineStillLacks() {
    // 3.4 never got the watch-range fix.
    assertThat(ServerGaps.of("3.4.44")).singleElement().asString().contains("watch");
    assertThat(ServerGaps.of("3.5.33")).isEmpty();
    assertThat(ServerGaps.of("3.6.14")).isEmpty();
    assertThat(ServerGaps.of("3.6.10")).hasSize(2);
    assertThat(ServerGaps.of("3.7.0")).isEmpty();
  }

  @Test
  void anUnreadableVersionWarnsOfNothing() {
    assertThat(ServerGaps.of("unknown")).isEmpty();
  }
}
