package io.monitorlab.bench;

/**
 * The figures of the tls group, each measured on both variants; the goal (issue 10) bounds what TLS adds: the
 * median over the runs of (TLS side's median - plaintext side's median) in one run. Immutable.
 */
enum TlsRow {
  START("agent start -> heartbeat key visible", Units.MS, Goal.unit(Units.MS).median(100),
      "fork of java -jar -> the bench's own watch sees the PUT"),
  START_TO_CLIENT("  of which: fork -> first line", Units.MS, Goal.measureOnly(),
      "JVM start, options, TLS files read and checked, etcd client built; no connection yet"),
  CLIENT_TO_LEASE("  of which: first line -> lease granted", Units.MS, Goal.measureOnly(),
      "connection (TCP; TLS handshake), HTTP/2 set-up and the lease grant: the first answer over it"),
  LEASE_TO_KEY("  of which: lease granted -> key visible", Units.MS, Goal.measureOnly(),
      "the agent's put of its key -> the bench's watch event (on the variant's own etcd)"),
  RSS("agent RSS %s after start", Units.MB, Goal.unit(Units.MB).median(5), "agents run side by side, started interleaved"),
  RSS_END("agent RSS after the idle window", Units.MB, Goal.measureOnly(), ""),
  CPU("agent idle CPU over %s", Units.PERCENT, Goal.measureOnly(),
      "% of one core, utime+stime from /proc; default config: cpu, memory, disk every 10 s"),
  FIRST_UPDATE("first config put after the idle window -> UPDATED", Units.MS, Goal.measureOnly(),
      "one per agent: the agent's cold path for a config update"),
  UPDATE("config put -> agent's UPDATED line", Units.MS, Goal.measureOnly(),
      "jetcd put from the bench to the variant's etcd (TLS: the bench's client presents a certificate too)"),
  PUT_TO_ACK("  of which: put -> etcd's put response", Units.MS, Goal.measureOnly(), "the bench's client, TLS or not"),
  ACK_TO_UPDATED("  of which: put response -> UPDATED line", Units.MS, Goal.measureOnly(),
      "watch delivery to the agent over its connection + its parse, validation and print");

  private final String name;
  private final String unit;
  private final Goal deltaGoal;
  private final String note;

  TlsRow(String name, String unit, Goal deltaGoal, String note) {
    this.name = name;
    this.unit = unit;
    this.deltaGoal = deltaGoal;
    this.note = note;
  }

  /** The figure's name, with the settings' durations filled in. */
  String label(TlsSettings s) {
    return name.contains("%s")
        ? String.format(java.util.Locale.ROOT, name, DurationConverter.format(this == RSS ? s.rssAfter() : s.idle()))
        : name;
  }

  String unit() {
    return unit;
  }

  Goal deltaGoal() {
    return deltaGoal;
  }

  String note() {
    return note;
  }
}
