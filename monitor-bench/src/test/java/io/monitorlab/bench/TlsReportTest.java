package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TlsReportTest {
  private static final TlsSettings SETTINGS = new TlsSettings(5, 3, 0, Duration.ofSeconds(60), Duration.ofMinutes(2));

  @Test
  void eachFigureShowsMinMedianAndMaxOfBothSidesAndTheGoalOnTheirDifference() {
    TlsSamples plain = new TlsSamples("plaintext");
    TlsSamples tls = new TlsSamples("TLS");
    run(plain, TlsRow.START, 500, 510, 900);
    run(tls, TlsRow.START, 560, 590, 1000);
    run(plain, TlsRow.RSS, 66.0);
    run(tls, TlsRow.RSS, 74.5);
    Report report = new Report(JsonNodeFactory.instance.objectNode());

    new TlsReport(plain, tls, SETTINGS, 1).addTo(report);
    String table = print(report);

    assertThat(table).contains("agent start -> heartbeat key visible", "agent RSS 1m after start")
        .doesNotContain("config put", "idle CPU");
    assertThat(lineWith(table, "TLS - plaintext", "ms")).contains("+80.0 ms", "p50 <= 100 ms", "PASS");
    assertThat(lineWith(table, "TLS - plaintext", "MB")).contains("+8.5 MB", "p50 <= 5.0 MB", "FAIL");
    assertThat(lineWith(table, "plaintext ", "500 ms")).containsSubsequence("500 ms", "510 ms", "900 ms");
    assertThat(report.figures()).extracting(Figure::name).contains("plaintext: agent start -> heartbeat key visible",
        "TLS: agent start -> heartbeat key visible", "TLS - plaintext: agent start -> heartbeat key visible");
    assertThat(report.anyFailed()).isTrue();
  }

  @Test
  void aRunWithoutAValueOnOneSideFailsTheGoalOfTheDifference() {
    TlsSamples plain = new TlsSamples("plaintext");
    TlsSamples tls = new TlsSamples("TLS");
    run(plain, TlsRow.START, 500);
    tls.miss(TlsRow.START);
    tls.endRun();
    Report report = new Report(JsonNodeFactory.instance.objectNode());

    new TlsReport(plain, tls, SETTINGS, 1).addTo(report);

    assertThat(lineWith(print(report), "TLS - plaintext", "")).contains("0+1?", "FAIL");
  }

  @Test
  void aDifferenceThatRoundsToZeroHasNoMinusSign() {
    TlsSamples plain = new TlsSamples("plaintext");
    TlsSamples tls = new TlsSamples("TLS");
    run(plain, TlsRow.START, 500.04);
    run(tls, TlsRow.START, 500);
    Report report = new Report(JsonNodeFactory.instance.objectNode());

    new TlsReport(plain, tls, SETTINGS, 1).addTo(report);

    assertThat(lineWith(print(report), "TLS - plaintext", "ms")).contains("+0.0 ms").doesNotContain("-0.0");
  }

  private static void run(TlsSamples side, TlsRow row, double... values) {
    for (double v : values) {
      side.add(row, v);
    }
    side.endRun();
  }

  private static String print(Report report) {
    StringWriter out = new StringWriter();
    report.print(new PrintWriter(out));
    return out.toString();
  }

  private static String lineWith(String table, String a, String b) {
    return table.lines().filter(l -> l.contains(a) && l.contains(b)).findFirst().orElse("(no line with " + a + " and " + b + ")");
  }
}
