package io.monitorlab.agent;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/** A thread-safe sink that collects whole printed lines, for asserting console output. */
final class Lines extends Writer {
  private final StringBuilder partial = new StringBuilder();
  private final List<String> lines = new ArrayList<>();

  PrintWriter writer() {
    return new PrintWriter(this, true);
  }

  @Override
  public synchronized void write(char[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      char c = buf[i];
      if (c == '\n') {
        lines.add(partial.toString());
        partial.setLength(0);
      } else if (c != '\r') {
        partial.append(c);
      }
    }
  }

  synchronized List<String> all() {
    return List.copyOf(lines);
  }

  synchronized List<String> matching(String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).toList();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
