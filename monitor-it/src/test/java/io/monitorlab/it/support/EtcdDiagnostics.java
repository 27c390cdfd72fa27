package io.monitorlab.it.support;

import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.common.test.EtcdMember;
import java.util.function.Supplier;

/** A failure report of an {@link EtcdCluster}: each member's state and the tail of its log. */
public final class EtcdDiagnostics {
  private EtcdDiagnostics() {}

  public static Supplier<String> of(EtcdCluster etcd) {
    return () -> {
      StringBuilder b = new StringBuilder("----- etcd members\n");
      for (EtcdMember m : etcd.members()) {
        b.append(m).append(" pid=").append(m.pid()).append(m.isRunning() ? " running" : " NOT running")
            .append(m.isPaused() ? " paused" : "").append('\n').append(m.logTail()).append('\n');
      }
      return b.append("----- end of etcd").toString();
    };
  }
}
