package io.monitorlab.server.fleet;

import java.util.Locale;

/** Where the monitor learnt of a change: a watch event or a full listing. */
public enum Source {
  WATCH, LIST;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
