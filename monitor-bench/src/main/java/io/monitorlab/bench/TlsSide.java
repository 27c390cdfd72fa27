package io.monitorlab.bench;

/**
 * One variant of the tls group (plaintext or TLS): the context whose etcd and agent command lines it uses, the
 * bench's own watch on that etcd's heartbeat keys, and what it measured. Owned by the bench's thread; not
 * thread-safe.
 */
final class TlsSide implements AutoCloseable {
  private final String suffix;
  private final BenchContext ctx;
  private final KeyEvents keys;
  private final TlsSamples samples;

  /** @param suffix the end of this side's node names, e.g. {@code t} for {@code bench-<tag>-r1-s0-t} */
  TlsSide(String label, String suffix, BenchContext ctx) throws Exception {
    this.suffix = suffix;
    this.ctx = ctx;
    this.keys = KeyEvents.start(ctx.endpoints(), AgentStart.KEY_TIMEOUT);
    this.samples = new TlsSamples(label);
  }

  String label() {
    return samples.label();
  }

  BenchContext ctx() {
    return ctx;
  }

  KeyEvents keys() {
    return keys;
  }

  TlsSamples samples() {
    return samples;
  }

  /** This side's node name for {@code what}: {@code bench-<tag>-<what>-<suffix>}. */
  String node(String what) {
    return ctx.node(what + "-" + suffix);
  }

  void add(TlsRow row, double value) {
    samples.add(row, value);
  }

  void miss(TlsRow... rows) {
    samples.miss(rows);
  }

  /** Closes the watch; the context belongs to the caller. */
  @Override
  public void close() {
    keys.close();
  }
}
