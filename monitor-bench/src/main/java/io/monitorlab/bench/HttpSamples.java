package io.monitorlab.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What the HTTP probes of one run measured: request times and body sizes per path, event -> SSE client
 * latencies, and the monitor's readiness. Written by the probe thread, read after it ended. Thread-safe.
 */
final class HttpSamples {
  /** The times (ms) and body sizes (bytes) of the requests of one path, and the failed ones. */
  static final class Requests {
    final List<Double> ms = new ArrayList<>();
    final List<Double> bytes = new ArrayList<>();
    int failed;
  }

  final Requests metrics = new Requests();
  final Requests nodes = new Requests();
  /** The same requests made with curl (none when curl is not installed). */
  final Requests metricsCurl = new Requests();
  final Requests nodesCurl = new Requests();
  final List<Double> sseAlive = new ArrayList<>();
  final List<Double> sseDead = new ArrayList<>();
  int sseMissing;
  /** Transitions read before the bench saw etcd's answer to its own put or delete (negative latencies). */
  int sseBeforeResponse;
  long sseEvents;
  long sseChars;
  double sseSeconds = Double.NaN;
  double readyMs = Double.NaN;
  double allAliveMs = Double.NaN;

  synchronized void request(Requests into, double ms, long bytes) {
    into.ms.add(ms);
    into.bytes.add((double) bytes);
  }

  synchronized void failed(Requests into) {
    into.failed++;
  }

  synchronized void sse(boolean alive, double ms) {
    (alive ? sseAlive : sseDead).add(ms);
    sseBeforeResponse += ms < 0 ? 1 : 0;
  }

  synchronized void sseMissing() {
    sseMissing++;
  }

  synchronized void sseStream(long events, long chars, double seconds) {
    sseEvents = events;
    sseChars = chars;
    sseSeconds = seconds;
  }

  synchronized void ready(double readyMs, double allAliveMs) {
    this.readyMs = readyMs;
    this.allAliveMs = allAliveMs;
  }

  /** A copy of a list, taken under the lock. */
  synchronized List<Double> copy(List<Double> values) {
    return List.copyOf(values);
  }

  synchronized List<Double> sseAll() {
    List<Double> all = new ArrayList<>(sseAlive);
    all.addAll(sseDead);
    return all;
  }
}
