package io.monitorlab.it.support;

import io.etcd.jetcd.Client;
import io.monitorlab.common.test.EtcdCluster;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** jetcd clients and endpoint lists for some members of an {@link EtcdCluster} only (e.g. the ones not frozen). */
public final class MemberClients {
  private MemberClients() {}

  /** A client for the given members only; the caller closes it. */
  public static Client of(EtcdCluster etcd, int... members) {
    return Client.builder().endpoints(IntStream.of(members).mapToObj(i -> etcd.member(i).clientUri()).toList()).build();
  }

  /** Every member but {@code excluded}. */
  public static int[] allBut(EtcdCluster etcd, int excluded) {
    return IntStream.range(0, etcd.members().size()).filter(i -> i != excluded).toArray();
  }

  /** {@code host:port,...} of the given members. */
  public static String endpoints(EtcdCluster etcd, int... members) {
    return IntStream.of(members).mapToObj(i -> etcd.member(i).endpoint()).collect(Collectors.joining(","));
  }
}
