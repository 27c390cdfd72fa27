package io.monitorlab.it.support;

import java.util.concurrent.ThreadLocalRandom;

/** Unique, valid node names, so that tests sharing an etcd never see each other's keys. */
public final class Nodes {
  private Nodes() {}

  /** {@code <base>-<6 random base-36 characters>}. */
  public static String unique(String base) {
    String suffix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
    return base + "-" + "0".repeat(6 - suffix.length()) + suffix;
  }
}
