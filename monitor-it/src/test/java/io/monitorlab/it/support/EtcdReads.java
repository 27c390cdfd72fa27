package io.monitorlab.it.support;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** One-shot reads from the test's side (bounded, failing loudly). Thread-safe. */
public final class EtcdReads {
  private EtcdReads() {}

  /** etcd's current revision. */
  public static long revision(Client client) {
    try {
      return client.getKVClient().get(bytes("/"), GetOption.builder().withCountOnly(true).build())
          .get(3, TimeUnit.SECONDS).getHeader().getRevision();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read etcd's revision: " + e, e);
    }
  }

  /** How many keys start with {@code prefix}. */
  public static long count(Client client, String prefix) {
    try {
      return client.getKVClient().get(bytes(prefix), GetOption.builder().isPrefix(true).withCountOnly(true).build())
          .get(3, TimeUnit.SECONDS).getCount();
    } catch (Exception e) {
      throw new IllegalStateException("cannot count the keys under " + prefix + ": " + e, e);
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
