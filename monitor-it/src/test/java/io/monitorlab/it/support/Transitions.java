package io.monitorlab.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Monitor transitions three ways: what an {@code etcdctl watch} record implies (a PUT of a node not
 * present is ALIVE; a DELETE after a {@code "leaving"} PUT is LEFT; any other DELETE of a present
 * node is DEAD), what the monitor printed on its console, and what it wrote to its
 * {@code --transition-log}. Immutable values and pure functions; thread-safe.
 */
public final class Transitions {
  public enum State { ALIVE, DEAD, LEFT }

  /** One transition; {@code value} is the heartbeat value for ALIVE (else empty); {@code revision} 0 when unknown. */
  public record Transition(String node, State state, String value, long revision) {
    @Override
    public String toString() {
      return (revision > 0 ? "@" + revision + " " : "") + state + " " + node + (value.isEmpty() ? "" : " " + value);
    }

    Transition withoutRevision() {
      return new Transition(node, state, value, 0);
    }

    Transition withoutValue() {
      return new Transition(node, state, "", revision);
    }
  }

  private static final Pattern ALIVE = Pattern.compile("\\[\\+] Node (\\S+) ALIVE -> (.*)");
  private static final Pattern GONE = Pattern.compile("\\[-] Node (\\S+) (DEAD|LEFT) \\((.*)\\)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.Set<String> STATES = java.util.Set.of("ALIVE", "DEAD", "LEFT");

  private Transitions() {}

  /** What the record implies for the nodes accepted by {@code nodes}, starting from none present. */
  public static List<Transition> implied(List<WatchRecord.Event> events, String prefix, Predicate<String> nodes) {
    return implied(events, prefix, nodes, Map.of());
  }

  /** Like {@link #implied(List, String, Predicate)}, from {@code present} (node -> leaving) at the start. */
  public static List<Transition> implied(List<WatchRecord.Event> events, String prefix, Predicate<String> nodes,
      Map<String, Boolean> present) {
    Map<String, Boolean> leaving = new LinkedHashMap<>(present);
    List<Transition> out = new ArrayList<>();
    for (WatchRecord.Event e : events) {
      if (!e.key().startsWith(prefix) || !nodes.test(e.key().substring(prefix.length()))) {
        continue;
      }
      String node = e.key().substring(prefix.length());
      if (e.type() == WatchRecord.Event.Type.PUT) {
        if (!leaving.containsKey(node)) {
          out.add(new Transition(node, State.ALIVE, e.value(), e.revision()));
        }
        leaving.put(node, isLeaving(e.value()));
      } else if (leaving.containsKey(node)) {
        out.add(new Transition(node, leaving.remove(node) ? State.LEFT : State.DEAD, "", e.revision()));
      }
    }
    return out;
  }

  /** The nodes (accepted by {@code nodes}) present after the whole record, starting from none. */
  public static List<String> presentAfter(List<WatchRecord.Event> events, String prefix, Predicate<String> nodes) {
    Map<String, Boolean> present = new LinkedHashMap<>();
    for (Transition t : implied(events, prefix, nodes)) {
      if (t.state() == State.ALIVE) {
        present.put(t.node(), true);
      } else {
        present.remove(t.node());
      }
    }
    return present.keySet().stream().sorted().toList();
  }

  /** The {@code [+]}/{@code [-]} lines of {@code lines} about the nodes accepted by {@code nodes}. */
  public static List<Transition> printed(List<String> lines, Predicate<String> nodes) {
    List<Transition> out = new ArrayList<>();
    for (String line : lines) {
      Matcher a = ALIVE.matcher(line);
      Matcher g = GONE.matcher(line);
      if (a.matches() && nodes.test(a.group(1))) {
        out.add(new Transition(a.group(1), State.ALIVE, a.group(2), 0));
      } else if (g.matches() && nodes.test(g.group(1))) {
        out.add(new Transition(g.group(1), State.valueOf(g.group(2)), "", 0));
      }
    }
    return out;
  }

  /** The lines of a {@code --transition-log} file about the nodes accepted by {@code nodes} (value left empty). */
  public static List<Transition> logged(Path file, Predicate<String> nodes) {
    List<Transition> out = new ArrayList<>();
    try {
      if (!Files.exists(file)) {
        return out;
      }
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode j = JSON.readTree(line);
        String node = j.path("node").asText();
        // Only real transitions: an UNKNOWN entry (contact lost) is not one the record can imply.
        if (nodes.test(node) && STATES.contains(j.path("state").asText())) {
          out.add(new Transition(node, State.valueOf(j.path("state").asText()), "", j.path("revision").asLong()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the transition log " + file, e);
    }
    return out;
  }

  /**
   * Whether the console lines say exactly what the record implies, in the same order. Transitions of one
   * revision (one lease deleting several keys) may come in any order among themselves. Empty when they
   * match, else a report of both sequences.
   */
  public static String compareConsole(List<Transition> implied, List<Transition> printed) {
    List<Transition> expected = new ArrayList<>();
    List<Transition> actual = new ArrayList<>();
    int at = 0;
    for (List<Transition> group : byRevision(implied)) {
      expected.addAll(sorted(group.stream().map(Transition::withoutRevision).toList()));
      int end = Math.min(printed.size(), at + group.size());
      actual.addAll(sorted(printed.subList(Math.min(at, end), end)));
      at = end;
    }
    actual.addAll(printed.subList(Math.min(at, printed.size()), printed.size()));
    return expected.equals(actual) ? "" : report("console lines", implied, printed);
  }

  /** Like {@link #compareConsole} for the transition log, whose entries also carry their revision. */
  public static String compareLog(List<Transition> implied, List<Transition> logged) {
    List<Transition> expected = new ArrayList<>();
    for (List<Transition> group : byRevision(implied)) {
      expected.addAll(sorted(group.stream().map(Transition::withoutValue).toList()));
    }
    List<Transition> actual = new ArrayList<>();
    for (List<Transition> group : byRevision(logged)) {
      actual.addAll(sorted(group));
    }
    return expected.equals(actual) ? "" : report("transition log", implied, logged);
  }

  /** Runs of consecutive transitions sharing a revision. */
  private static List<List<Transition>> byRevision(List<Transition> ts) {
    List<List<Transition>> groups = new ArrayList<>();
    for (Transition t : ts) {
      if (groups.isEmpty() || groups.get(groups.size() - 1).get(0).revision() != t.revision() || t.revision() == 0) {
        groups.add(new ArrayList<>());
      }
      groups.get(groups.size() - 1).add(t);
    }
    return groups;
  }

  private static List<Transition> sorted(List<Transition> ts) {
    return ts.stream().sorted(Comparator.comparing(Transition::node).thenComparing(Transition::state)).toList();
  }

  private static String report(String what, List<Transition> implied, List<Transition> actual) {
    StringBuilder b = new StringBuilder("the monitor's " + what + " do not match the etcdctl watch record\n");
    b.append("  implied by etcdctl watch (").append(implied.size()).append("):\n");
    implied.forEach(t -> b.append("    ").append(t).append('\n'));
    b.append("  monitor's ").append(what).append(" (").append(actual.size()).append("):\n");
    actual.forEach(t -> b.append("    ").append(t).append('\n'));
    return b.toString();
  }

  private static boolean isLeaving(String value) {
    try {
      return "leaving".equals(JSON.readTree(value).path("status").asText());
    } catch (IOException e) {
      return false;
    }
  }
}
