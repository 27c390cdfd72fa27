package io.monitorlab.bench;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code monitor-bench tls}: what TLS with a client certificate costs the agent, next to plaintext. */
@Command(name = "tls", mixinStandardHelpOptions = true,
    description = {"agent over TLS vs plaintext: start -> key visible, RSS, idle CPU, config put -> UPDATED.",
        "%nStarts two 1-member etcds alike (monitor-common's test support): one plaintext, one serving TLS only with "
            + "--client-cert-auth, from certificates made with openssl (EC P-256, client keys in PKCS#8). Every run "
            + "measures both, interleaved: --starts timed agent starts per side (start -> heartbeat key visible, split "
            + "at the agent's own lines), then --agents agents per side side by side: their RSS --rss-after their "
            + "start, idle CPU over --idle, then --updates config puts each -> UPDATED. What TLS costs is the median "
            + "over the runs of the difference of the two sides' medians in a run. A run takes about --rss-after + "
            + "--idle + 1 minute. Needs etcd (or ETCD_BIN) and openssl; it uses neither --endpoints nor ETCD_ENDPOINTS.%n"})
final class TlsCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin CommonOptions common;

  @Option(names = "--starts", paramLabel = "N", defaultValue = "5",
      description = "Agent starts timed to the key becoming visible, per side and run [default: ${DEFAULT-VALUE}].")
  int starts;

  @Option(names = "--agents", paramLabel = "N", defaultValue = "3",
      description = "Agents per side run side by side for RSS, idle CPU and updates, per run [default: ${DEFAULT-VALUE}].")
  int agents;

  @Option(names = "--updates", paramLabel = "N", defaultValue = "20",
      description = "Config puts per agent timed to its UPDATED line, after the idle window [default: ${DEFAULT-VALUE}].")
  int updates;

  @Option(names = "--rss-after", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "When the agents' RSS is read, after their start [default: ${DEFAULT-VALUE}].")
  Duration rssAfter;

  @Option(names = "--idle", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
      description = "The idle CPU window, after --rss-after [default: ${DEFAULT-VALUE}].")
  Duration idle;

  TlsSettings settings() {
    return new TlsSettings(starts, agents, updates, rssAfter, idle);
  }

  @Override
  public Integer call() throws Exception {
    TlsSettings s = Options.check(spec, this::settings);
    int runs = Options.check(spec, () -> common.runs(5));
    if (common.endpoints != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--endpoints: not used by tls: it starts its own "
          + "plaintext and TLS etcd so that both run alike; run it without --endpoints");
    }
    try (EtcdPair etcds = EtcdPair.start()) {
      return BenchRun.run(spec, common, etcds.plain(), ctx -> run(ctx, etcds, s, runs));
    }
  }

  private static void run(BenchContext plainCtx, EtcdPair etcds, TlsSettings s, int runs) throws Exception {
    plainCtx.report().describe("plaintext_etcd", etcds.plain().urls());
    plainCtx.report().describe("tls_etcd", etcds.describeTls());
    plainCtx.report().describe("agent_jvm_flags", String.join(" ", Jvm.expanded(Jvm.AGENT_FLAGS)));
    plainCtx.report().describe("agent_tls_jvm_flags", String.join(" ", Jvm.expanded(Jvm.AGENT_TLS_FLAGS)));
    Jvm tlsJvm = plainCtx.jvm().on(etcds.tls(), etcds.agentOptions());
    try (BenchContext tlsCtx = plainCtx.on(etcds.tls(), tlsJvm, new EtcdHttp(etcds.tlsMetrics()));
        TlsSide plain = new TlsSide("plaintext", "p", plainCtx);
        TlsSide tls = new TlsSide("TLS", "t", tlsCtx)) {
      new TlsBench(plain, tls, s, runs).run();
    }
  }
}
