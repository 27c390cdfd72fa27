package io.monitorlab.it.support;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A burst of heartbeat transitions as fast as etcd takes them, from simulated agents: ten nodes
 * registering, refreshing, crashing (lease revoked), leaving ({@code "leaving"}, then revoked) or having
 * their key deleted at random (seeded); a few nodes with a 1 s TTL left to expire by themselves; three
 * nodes on one lease revoked at once (three deletes in one revision); and test actions at given steps.
 */
public final class TransitionBurst {
  private static final int STEPS = 80;

  private TransitionBurst() {}

  /**
   * Runs the burst on nodes {@code <base>-sim0..9}, {@code <base>-expiringN}, {@code <base>-shared1..3};
   * {@code present} are the sim nodes already registered with {@code sim}.
   */
  public static void run(SimulatedAgents sim, String base, long seed, Collection<String> present, Map<Integer, Runnable> actions) {
    Random rnd = new Random(seed);
    List<String> pool = IntStream.range(0, 10).mapToObj(i -> base + "-sim" + i).toList();
    Set<String> up = new LinkedHashSet<>(present);
    List<String> shared = List.of(base + "-shared1", base + "-shared2", base + "-shared3");
    for (int step = 0; step < STEPS; step++) {
      actions.getOrDefault(step, () -> { }).run();
      if (step % 20 == 5) {
        sim.register(base + "-expiring" + step, 1);
      }
      if (step == 15) {
        sim.registerTogether(shared, 60);
      }
      if (step == 45) {
        sim.revoke(shared.get(0));
      }
      String node = pool.get(rnd.nextInt(pool.size()));
      if (up.add(node)) {
        sim.register(node, 60);
      } else {
        change(sim, node, rnd.nextInt(10), up);
      }
    }
  }

  private static void change(SimulatedAgents sim, String node, int what, Set<String> up) {
    if (what < 3) {
      sim.refresh(node);
      return;
    }
    up.remove(node);
    if (what < 6) {
      sim.crash(node);
    } else if (what < 8) {
      sim.leave(node);
    } else {
      sim.deleteKey(node);
    }
  }
}
