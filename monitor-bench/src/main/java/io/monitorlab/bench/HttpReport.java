package io.monitorlab.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The http group's own figures over its runs (the fleet figures come from {@link FleetReport}). Not thread-safe. */
final class HttpReport {
  private static final String JAVA_CLIENT = "java.net.http in the bench's JVM (with the simulated fleet and its "
      + "collections), HTTP/1.1, request sent -> whole body read; ";
  private static final String CURL = "curl in its own process, its time_total (connect -> whole body read); ";

  private final Report report;
  private final String group;
  private final String prefix;
  private final HttpSettings settings;

  HttpReport(Report report, String group, HttpSettings settings) {
    this.report = report;
    this.group = group;
    this.prefix = String.format(Locale.ROOT, "N=%,d: ", settings.agents());
    this.settings = settings;
  }

  void add(List<HttpSamples> runs) {
    int notReady = (int) runs.stream().filter(r -> Double.isNaN(r.readyMs)).count();
    int notAllAlive = (int) runs.stream().filter(r -> Double.isNaN(r.allAliveMs)).count();
    add("monitor fork -> /readyz 200", Units.MS, pool(runs, r -> List.of(r.readyMs)), notReady, Goal.measureOnly(),
        "polled every 500 ms");
    add("monitor fork -> all N ALIVE in /api/v1/nodes", Units.MS, pool(runs, r -> List.of(r.allAliveMs)), notAllAlive,
        Goal.measureOnly(), "polled every 500 ms after /readyz" + (notAllAlive == 0 ? "" : "; not all ALIVE within 60 s in "
            + notAllAlive + " run(s): the rows below were measured anyway, with the nodes the fleet still held"));
    requests(runs, "GET /metrics", r -> r.metrics, 100, JAVA_CLIENT);
    requests(runs, "GET /metrics, curl", r -> r.metricsCurl, 100, CURL);
    requests(runs, "GET /api/v1/nodes", r -> r.nodes, 200, JAVA_CLIENT);
    requests(runs, "GET /api/v1/nodes, curl", r -> r.nodesCurl, 200, CURL);
    int sseMissing = runs.stream().mapToInt(r -> r.sseMissing).sum() + notReady;
    add("event -> SSE client", Units.MS, pool(runs, HttpSamples::sseAll), sseMissing, Goal.unit(Units.MS).p99(50),
        "etcd's answer to the bench's put (-> ALIVE) or delete (-> DEAD) of a fresh node's heartbeat key -> the "
            + "transition event read by an SSE client on /api/v1/events; one change every "
            + DurationConverter.format(settings.sseEvery()) + "; read before the answer (negative): "
            + runs.stream().mapToInt(r -> r.sseBeforeResponse).sum() + "; stream read: "
            + list(runs, r -> String.format(Locale.ROOT, "%d events, %.0f kB/s", r.sseEvents,
                r.sseChars / 1024.0 / r.sseSeconds)));
    add("  put -> ALIVE transition", Units.MS, pool(runs, r -> r.copy(r.sseAlive)), 0, Goal.measureOnly(), "");
    add("  delete -> DEAD transition", Units.MS, pool(runs, r -> r.copy(r.sseDead)), 0, Goal.measureOnly(), "");
  }

  private void requests(List<HttpSamples> runs, String what, Function<HttpSamples, HttpSamples.Requests> of, double p99Ms,
      String client) {
    if (runs.stream().allMatch(r -> r.copy(of.apply(r).ms).isEmpty() && of.apply(r).failed == 0)) {
      return; // curl is not installed
    }
    int failed = runs.stream().mapToInt(r -> of.apply(r).failed).sum()
        + (int) runs.stream().filter(r -> Double.isNaN(r.readyMs)).count();
    List<Double> bytes = pool(runs, r -> r.copy(of.apply(r).bytes));
    String size = bytes.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f kB", Stats.of(bytes).median() / 1024);
    add(what, Units.MS, pool(runs, r -> r.copy(of.apply(r).ms)), failed, Goal.unit(Units.MS).p99(p99Ms),
        client + settings.requests() + " sequential requests per run, " + DurationConverter.format(settings.requestGap())
            + " apart (java.net.http and curl, when curl is installed, take turns); body median " + size);
  }

  private static List<Double> pool(List<HttpSamples> runs, Function<HttpSamples, List<Double>> f) {
    return runs.stream().flatMap(r -> f.apply(r).stream()).filter(v -> !Double.isNaN(v)).toList();
  }

  private static String list(List<HttpSamples> runs, Function<HttpSamples, String> f) {
    return runs.stream().map(f).collect(Collectors.joining(", ", "[", "]"));
  }

  private void add(String name, String unit, List<Double> values, int missing, Goal goal, String note) {
    report.add(new Figure(group, prefix + name, unit, values, missing, goal, note));
  }
}
