package io.monitorlab.server.fleet;

import java.util.List;

/** Every key under the prefixes the monitor follows, read in one transaction at {@code revision}. */
public record Listing(long revision, List<KeyEvent> keys) {
  public Listing {
    keys = List.copyOf(keys);
  }
}
