package io.monitorlab.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Sends POSIX signals with the real {@code kill} command, as an operator would. */
final class Signals {
  private Signals() {}

  /** {@code kill -<sig> <pid>}; fails when kill does. */
  static void send(String sig, long pid, String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).redirectErrorStream(true).start();
      String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + sig + " " + pid + " (" + name + ") failed: " + said);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill -" + sig, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + name, e);
    }
  }
}
