package io.monitorlab.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A daemon thread that reads a process's stream line by line, stamping each line on arrival. */
final class LineReader {
  private LineReader() {}

  /** Starts reading {@code in} into {@code into} (which only this thread appends to). */
  static Thread start(InputStream in, Line.Stream stream, List<Line> into, String threadName) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String s;
        while ((s = r.readLine()) != null) {
          into.add(new Line(stream, into.size(), s, System.nanoTime()));
        }
      } catch (IOException e) {
        // the stream closed under us (the process was killed): what was read is kept
      }
    }, threadName);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The lines with their arrival relative to {@code startedNanos}, for failure messages. */
  static void append(StringBuilder b, String label, List<Line> lines, long startedNanos) {
    b.append("  [").append(label).append("]\n");
    for (Line l : lines) {
      b.append(String.format("  +%7.3fs %s%n", (l.nanos() - startedNanos) / 1e9, l.text()));
    }
  }
}
