package io.monitorlab.server.access;

import java.util.ArrayList;
import java.util.List;

/**
 * Known holes in etcd's permission checks by server version (issue 10, item 6; docs in README
 * "Security"), so that {@code access init} can warn that per-node roles there do not hold everywhere.
 * Pure.
 */
public final class ServerGaps {
  private ServerGaps() {}

  /** One line per gap that {@code version} (e.g. {@code 3.4.23}) still has; empty when none is known. */
  public static List<String> of(String version) {
    int[] v = parse(version);
    List<String> gaps = new ArrayList<>();
    if (v == null) {
      return gaps;
    }
    if (before(v, 3, 4, 42) || between(v, 3, 5, 28) || between(v, 3, 6, 9)) {
      gaps.add("CVE-2026-33413: no permission check on lease grant, keepalive, time-to-live and lease listing, so one "
          + "node's identity can keep another node's lease alive or list every lease (fixed in 3.4.42, 3.5.28, 3.6.9)");
    }
    if (before(v, 3, 5, 33) || between(v, 3, 6, 14)) {
      gaps.add("an open-ended watch range is not checked against the permissions, so any identity can read every key "
          + "through a watch (fixed in 3.5.33, 3.6.14)");
    }
    if (before(v, 3, 4, 44) || between(v, 3, 5, 30) || between(v, 3, 6, 11)) {
      gaps.add("CVE-2026-33343 (GHSA-rfx7-8w68-q57q) and GHSA-x35m-3gp4-4fh5: a transaction nested in a transaction "
          + "bypasses key permissions, so any identity can write (and read) any key (3.4.44, 3.5.30 and 3.6.11 fix both)");
    }
    return gaps;
  }

  /** Older than a.b.c within any minor. */
  private static boolean before(int[] v, int a, int b, int c) {
    return v[0] < a || v[0] == a && (v[1] < b || v[1] == b && v[2] < c);
  }

  /** Same major.minor as a.b and a patch below c. */
  private static boolean between(int[] v, int a, int b, int c) {
    return v[0] == a && v[1] == b && v[2] < c;
  }

  private static int[] parse(String version) {
    String[] parts = version.trim().split("[.-]");
    if (parts.length < 3) {
      return null;
    }
    try {
      return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
