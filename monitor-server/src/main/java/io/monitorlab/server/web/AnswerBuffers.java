package io.monitorlab.server.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The arrays that the big answers ({@code /metrics}, {@code /api/v1/nodes}) are copied into before they are
 * sent: so that the answer's length is known (the JDK server sends a body of unknown length in chunks of a
 * few kB, many times the writes of a known length) and each node is copied whole under its lock, without a
 * client in between. At most {@link #MAX} exist (each is as large as the largest answer, several MB at
 * 10,000 nodes); they are kept and grow with the fleet, sized before each answer from the nodes' lengths, so
 * an answer leaves no garbage behind. A request waits while all of them are in use: a second big answer
 * waits until the first is sent. This class is thread-safe.
 */
final class AnswerBuffers {
  static final int MAX = 1;

  private final BlockingQueue<Buffer> free = new ArrayBlockingQueue<>(MAX);

  AnswerBuffers() {
    for (int i = 0; i < MAX; i++) {
      free.add(new Buffer());
    }
  }

  /** A buffer, emptied; give it back when the answer is sent. */
  Buffer take() throws InterruptedIOException {
    try {
      Buffer b = free.take();
      b.length = 0;
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for an answer buffer");
    }
  }

  void give(Buffer b) {
    free.offer(b);
  }

  /** An in-memory stream: writing to it never blocks. Not thread-safe. */
  static final class Buffer extends OutputStream {
    static final int SLICE = 64 * 1024;

    private byte[] bytes = new byte[64 * 1024];
    private int length;

    @Override
    public void write(int b) {
      fit(1);
      bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      fit(len);
      System.arraycopy(b, off, bytes, length, len);
      length += len;
    }

    int length() {
      return length;
    }

    /** Makes room for {@code more} bytes at once (one copy at most), so that writing them does not grow it in steps. */
    void reserve(long more) {
      long needed = length + more;
      if (needed > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("an answer of " + needed + " bytes does not fit in one array");
      }
      if (needed > bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, needed + needed / 16));
      }
    }

    /** Drops what was written after the first {@code newLength} bytes. */
    void truncate(int newLength) {
      if (newLength < 0 || newLength > length) {
        throw new IllegalArgumentException("cannot truncate " + length + " bytes to " + newLength);
      }
      length = newLength;
    }

    /** Sends what it holds as a 200 answer of that length (only the headers to a HEAD request). */
    void send(HttpExchange exchange) throws IOException {
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          sendTo(out);
        }
      }
    }

    /**
     * Writes what it holds to {@code out}, in slices of {@link #SLICE} bytes: NIO copies a heap array
     * written to a socket into a temporary direct buffer of the same size, which each worker thread then
     * keeps, so one write of the whole answer left several copies of it outside the heap.
     */
    void sendTo(OutputStream out) throws IOException {
      for (int at = 0; at < length; at += SLICE) {
        out.write(bytes, at, Math.min(SLICE, length - at));
      }
    }

    private void fit(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length + bytes.length / 4));
      }
    }
  }
}
