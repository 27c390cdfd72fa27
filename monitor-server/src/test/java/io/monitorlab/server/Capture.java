package io.monitorlab.server;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/** Keeps everything written to it; safe to read while another thread writes. */
final class Capture extends Writer {
  private final StringBuilder text = new StringBuilder();

  @Override
  public synchronized void write(char[] buf, int off, int len) {
    text.append(buf, off, len);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  synchronized String text() {
    return text.toString();
  }

  /** The complete lines written so far (a line still being written is left out). */
  List<String> lines() {
    String t = text();
    int end = t.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(t.substring(0, end).split("\n", -1));
  }

  PrintWriter printWriter() {
    return new PrintWriter(this, true);
  }
}
