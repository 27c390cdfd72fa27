package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Node names are {@code [A-Za-z0-9][A-Za-z0-9._-]*}, at most 253 characters. */
@Timeout(10)
class NodeNamesTest {

  static Stream<String> validNames() {
    return Stream.of("worker1", "a", "A", "0", "9node", "node-1", "node_1", "node.example.com", "ip-10-0-0-1.ec2.internal",
        "a..b", "a-", "a_", "a.", "x".repeat(NodeNames.MAX_LENGTH), "a" + "._-".repeat(84));
  }

  static Stream<String> invalidNames() {
    return Stream.of("/", "a/b", "/a", "a/", "..", ".", ".hidden", "-x", "_x", "a b", " a", "a ", "a\tb", "a\nb", "a\rb",
        "a\0b", "a\u007fb", "a\u001bb", "x".repeat(NodeNames.MAX_LENGTH + 1), "x".repeat(10_000), "caf\u00e9", "n\u00f8de",
        "\u0440\u0430\u0431", "a\u00a0b", "a\u200bb", "a\u2028b", "a\u0085b", "a\ud83d\ude00", "\uff41", "a:b", "a*", "a\\b", "a'b", "a\"b",
        "a%2Fb", "a,b", "a;b", "$(id)");
  }

  @ParameterizedTest
  @MethodSource("validNames")
  void acceptsNamesThatFollowTheRule(String name) {
    assertThat(NodeNames.isValid(name)).isTrue();
    assertThat(NodeNames.require(name, "--node")).isSameAs(name);
    assertThat(NodeNames.escape(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @MethodSource("invalidNames")
  void refusesNamesThatBreakTheRule(String name) {
    assertThat(NodeNames.isValid(name)).isFalse();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @MethodSource("invalidNames")
  void requireNamesTheOptionInAOneLineMessage(String name) {
    assertThatThrownBy(() -> NodeNames.require(name, "--node"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--node: invalid node name ")
        .hasMessageContaining("expected")
        .satisfies(e -> assertOneLine(e.getMessage()));
  }

  @Test
  void requireShowsTheValueItRefused() {
    assertThatThrownBy(() -> NodeNames.require("a/b", "NODE_NAME")).hasMessageContaining("NODE_NAME").hasMessageContaining("\"a/b\"");
    assertThatThrownBy(() -> NodeNames.require("", "--node")).hasMessageContaining("\"\" (empty)");
    assertThatThrownBy(() -> NodeNames.require(null, "--node")).hasMessageContaining("(none)");
    assertThatThrownBy(() -> NodeNames.require("a\nb", "--node")).hasMessageContaining("\"a\\x0ab\"");
  }

  @Test
  void requireShortensAVeryLongValueAndSaysHowLongItWas() {
    assertThatThrownBy(() -> NodeNames.require("x".repeat(10_000), "--node"))
        .hasMessageContaining("x".repeat(64) + "...")
        .hasMessageContaining("(10000 characters)")
        .hasMessageNotContaining("x".repeat(65));
  }

  static Stream<Arguments> escapes() {
    return Stream.of(
        Arguments.of("", "''"),
        Arguments.of("worker1", "worker1"),
        Arguments.of("a/b", "a\\x2fb"),
        Arguments.of("a b", "a\\x20b"),
        Arguments.of("a\tb\nc\rd", "a\\x09b\\x0ac\\x0dd"),
        Arguments.of("\0\u001b\u007f", "\\x00\\x1b\\x7f"),
        Arguments.of("a\\x41", "a\\x5cx41"),
        Arguments.of("caf\u00e9", "caf\\xe9"),
        Arguments.of("a\u00a0b", "a\\xa0b"),
        Arguments.of("a\u200bb", "a\\u200bb"),
        Arguments.of("a\u2028b", "a\\u2028b"),
        Arguments.of("\ud83d\ude00", "\\ud83d\\ude00"),
        Arguments.of("'\"", "\\x27\\x22"),
        // Breaks the rule only by where its characters are: already safe to print.
        Arguments.of(".hidden", ".hidden"),
        Arguments.of("-x", "-x"),
        Arguments.of("..", ".."));
  }

  @ParameterizedTest
  @MethodSource("escapes")
  void escapeRendersAnyKeyAsOnePrintableAsciiWord(String name, String expected) {
    String escaped = NodeNames.escape(name);

    assertThat(escaped).isEqualTo(expected);
    assertThat(escaped.chars()).allMatch(c -> c > 0x20 && c < 0x7f);
  }

  @Test
  void escapeOfATooLongNameKeepsEveryCharacter() {
    String name = "x".repeat(NodeNames.MAX_LENGTH + 1);

    assertThat(NodeNames.escape(name)).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "a b", "a\\b", "a\u2028b"})
  void escapedNamesAreNeverValidNamesSoTheyCannotBeMistakenForOne(String name) {
    assertThat(NodeNames.isValid(NodeNames.escape(name))).isFalse();
  }

  private static void assertOneLine(String message) {
    assertThat(message).isNotBlank().doesNotContain("\n", "\r", "\u0085", "\u2028", "\u2029");
  }
}
