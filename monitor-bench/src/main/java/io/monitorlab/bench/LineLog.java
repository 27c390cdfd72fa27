package io.monitorlab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The stdout lines of one child process, each stamped with {@link System#nanoTime()} on arrival.
 * Only lines passing the keep filter are stored (the monitor's status list can be megabytes long at
 * 10,000 nodes). One reader thread appends; any thread may wait for a line. Thread-safe.
 */
final class LineLog {
  /** A stored line: its position among the stored lines, its text and its arrival time. */
  record Line(int index, String text, long nanos) {}

  private final Predicate<String> keep;
  private final List<Line> lines = new ArrayList<>();
  private long seen;
  private boolean ended;

  LineLog(Predicate<String> keep) {
    this.keep = keep;
  }

  /** Keeps every line. */
  static LineLog all() {
    return new LineLog(s -> true);
  }

  synchronized void add(String text, long nanos) {
    seen++;
    if (keep.test(text)) {
      lines.add(new Line(lines.size(), text, nanos));
      notifyAll();
    }
  }

  /** The stream ended (the process exited): waiting stops at once. */
  synchronized void end() {
    ended = true;
    notifyAll();
  }

  /** How many lines are stored; the index the next one will get. */
  synchronized int size() {
    return lines.size();
  }

  /** How many lines arrived, stored or not. */
  synchronized long seen() {
    return seen;
  }

  synchronized List<Line> from(int index) {
    return List.copyOf(lines.subList(Math.min(index, lines.size()), lines.size()));
  }

  /**
   * The first stored line at {@code from} or later that satisfies {@code p}, waiting at most
   * {@code timeout}; empty on timeout or when the stream ended without one.
   */
  synchronized Optional<Line> await(Predicate<String> p, int from, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int i = Math.max(from, 0);
    while (true) {
      for (; i < lines.size(); i++) {
        if (p.test(lines.get(i).text())) {
          return Optional.of(lines.get(i));
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || ended) {
        return Optional.empty();
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
