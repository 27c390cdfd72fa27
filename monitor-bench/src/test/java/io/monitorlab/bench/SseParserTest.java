package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SseParserTest {

  private static List<SseParser.Event> parse(String... lines) {
    SseParser p = new SseParser();
    List<SseParser.Event> out = new ArrayList<>();
    for (String l : lines) {
      p.line(l).ifPresent(out::add);
    }
    return out;
  }

  @Test
  void aTransitionEventIsDispatchedAtTheBlankLine() {
    assertThat(parse("event: transition", "data: {\"node\": \"w1\", \"state\": \"DEAD\"}", ""))
        .containsExactly(new SseParser.Event("transition", "{\"node\": \"w1\", \"state\": \"DEAD\"}"));
  }

  @Test
  void nothingIsDispatchedBeforeTheBlankLine() {
    assertThat(parse("event: transition", "data: {}")).isEmpty();
  }

  @Test
  void commentsRetryAndPingsDispatchNothing() {
    assertThat(parse("retry: 2000", "", ": ping", "", "id: 7", "")).isEmpty();
  }

  @Test
  void severalDataLinesAreJoinedByALineFeed() {
    assertThat(parse("data: a", "data:b", "data:  c", "")).containsExactly(new SseParser.Event("message", "a\nb\n c"));
  }

  @Test
  void theTypeDoesNotCarryOverToTheNextEvent() {
    assertThat(parse("event: nodes", "data: 1", "", "data: 2", ""))
        .containsExactly(new SseParser.Event("nodes", "1"), new SseParser.Event("message", "2"));
  }

  @Test
  void aFieldWithoutAColonHasAnEmptyValue() {
    assertThat(parse("data", "")).containsExactly(new SseParser.Event("message", ""));
  }

  @Test
  void anEventWithoutDataIsNotDispatched() {
    assertThat(parse("event: etcd", "", "event: transition", "data: x", ""))
        .containsExactly(new SseParser.Event("transition", "x"));
  }
}
