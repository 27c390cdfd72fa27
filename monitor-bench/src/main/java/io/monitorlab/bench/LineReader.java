package io.monitorlab.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a child's stdout line by line on its own daemon thread, stamping each line on arrival,
 * storing it in a {@link LineLog} and copying it (shortened) with its time since start to a log file.
 */
final class LineReader implements Runnable {
  private static final int LOGGED_CHARS = 300;

  private final InputStream in;
  private final LineLog log;
  private final Writer file;
  private final long startedNanos;

  private LineReader(InputStream in, LineLog log, Writer file, long startedNanos) {
    this.in = in;
    this.log = log;
    this.file = file;
    this.startedNanos = startedNanos;
  }

  /** Starts the reader thread; it closes {@code file} when the stream ends. */
  static Thread start(String name, InputStream in, LineLog log, Writer file, long startedNanos) {
    Thread t = new Thread(new LineReader(in, log, new BufferedWriter(file), startedNanos), name + "-stdout");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void run() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)); Writer w = file) {
      String s;
      while ((s = r.readLine()) != null) {
        long now = System.nanoTime();
        log.add(s, now);
        String shown = s.length() > LOGGED_CHARS ? s.substring(0, LOGGED_CHARS) + "... (" + s.length() + " chars)" : s;
        w.write(String.format(Locale.ROOT, "+%9.3fs %s%n", (now - startedNanos) / 1e9, shown));
      }
    } catch (IOException e) {
      // The pipe closed under us (the process was killed): what was read is kept.
    } finally {
      log.end();
    }
  }
}
