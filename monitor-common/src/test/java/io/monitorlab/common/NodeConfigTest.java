package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Config validation and rendering. Expected renderings were printed by Python 3.11:
 * {@code repr(c)}, {@code json.dumps(c)}, {@code str(c['interval'])}, {@code repr(c['metrics'])} with
 * {@code c = json.loads(doc)}.
 */
@Timeout(10)
class NodeConfigTest {

  static Stream<Arguments> validConfigs() {
    // (doc, repr, json.dumps, str(interval), repr(metrics))
    return Stream.of(
        Arguments.of("{\"interval\": 10, \"metrics\": [\"cpu\", \"memory\", \"disk\"]}",
            "{'interval': 10, 'metrics': ['cpu', 'memory', 'disk']}",
            "{\"interval\": 10, \"metrics\": [\"cpu\", \"memory\", \"disk\"]}",
            "10", "['cpu', 'memory', 'disk']"),
        Arguments.of("{\"interval\":2,\"metrics\":[\"cpu\",\"memory\"]}",
            "{'interval': 2, 'metrics': ['cpu', 'memory']}",
            "{\"interval\": 2, \"metrics\": [\"cpu\", \"memory\"]}",
            "2", "['cpu', 'memory']"),
        Arguments.of("{\"interval\": 2.5, \"metrics\": [\"cpu\"]}",
            "{'interval': 2.5, 'metrics': ['cpu']}",
            "{\"interval\": 2.5, \"metrics\": [\"cpu\"]}",
            "2.5", "['cpu']"),
        Arguments.of("{\"interval\": 0.001, \"metrics\": []}",
            "{'interval': 0.001, 'metrics': []}",
            "{\"interval\": 0.001, \"metrics\": []}",
            "0.001", "[]"),
        Arguments.of("{\"interval\": 86400, \"metrics\": [\"disk\"]}",
            "{'interval': 86400, 'metrics': ['disk']}",
            "{\"interval\": 86400, \"metrics\": [\"disk\"]}",
            "86400", "['disk']"),
        Arguments.of("{\"interval\": 86400.0, \"metrics\": [\"disk\"]}",
            "{'interval': 86400.0, 'metrics': ['disk']}",
            "{\"interval\": 86400.0, \"metrics\": [\"disk\"]}",
            "86400.0", "['disk']"),
        Arguments.of("{\"interval\": 1e1, \"metrics\": [\"net\"]}",
            "{'interval': 10.0, 'metrics': ['net']}",
            "{\"interval\": 10.0, \"metrics\": [\"net\"]}",
            "10.0", "['net']"),
        Arguments.of("{\"interval\": 5e-324, \"metrics\": [\"cpu\"]}",
            "{'interval': 5e-324, 'metrics': ['cpu']}",
            "{\"interval\": 5e-324, \"metrics\": [\"cpu\"]}",
            "5e-324", "['cpu']"),
        Arguments.of("{\"metrics\": [\"cpu\"], \"interval\": 3}",
            "{'metrics': ['cpu'], 'interval': 3}",
            "{\"metrics\": [\"cpu\"], \"interval\": 3}",
            "3", "['cpu']"),
        Arguments.of("{\"interval\": 10, \"metrics\": [\"cpu\"], \"zeta\": {\"b\": [1, 2.0, null, true, false]}, \"alpha\": \"it's\", \"mid\": [1e16, 0.00001]}",
            "{'interval': 10, 'metrics': ['cpu'], 'zeta': {'b': [1, 2.0, None, True, False]}, 'alpha': \"it's\", 'mid': [1e+16, 1e-05]}",
            "{\"interval\": 10, \"metrics\": [\"cpu\"], \"zeta\": {\"b\": [1, 2.0, null, true, false]}, \"alpha\": \"it's\", \"mid\": [1e+16, 1e-05]}",
            "10", "['cpu']"),
        Arguments.of("{\"interval\": 10, \"metrics\": [\"it's\", \"say \\\"hi\\\"\", \"caf\\u00e9\", \"\\ud83d\\ude00\", \"tab\\there\", \"nb\\u00a0sp\"]}",
            "{'interval': 10, 'metrics': [\"it's\", 'say \"hi\"', 'caf\351', '\ud83d\ude00', 'tab\\there', 'nb\\xa0sp']}",
            "{\"interval\": 10, \"metrics\": [\"it's\", \"say \\\"hi\\\"\", \"caf\\u00e9\", \"\\ud83d\\ude00\", \"tab\\there\", \"nb\\u00a0sp\"]}",
            "10", "[\"it's\", 'say \"hi\"', 'caf\351', '\ud83d\ude00', 'tab\\there', 'nb\\xa0sp']"),
        Arguments.of("{\"interval\": 10, \"metrics\": [\"x\"], \"interval\": 4}",
            "{'interval': 4, 'metrics': ['x']}",
            "{\"interval\": 4, \"metrics\": [\"x\"]}",
            "4", "['x']"));
  }

  @ParameterizedTest
  @MethodSource("validConfigs")
  void rendersAValidConfigAsThePythonLabPrintsIt(String doc, String repr, String json, String intervalText, String metricsRepr)
      throws Exception {
    NodeConfig config = NodeConfig.parse(doc);

    assertThat(config.repr()).isEqualTo(repr);
    assertThat(config.toString()).isEqualTo(repr);
    assertThat(config.toJson()).isEqualTo(json);
    assertThat(config.intervalText()).isEqualTo(intervalText);
    assertThat(config.metricsRepr()).isEqualTo(metricsRepr);
  }

  @ParameterizedTest
  @MethodSource("validConfigs")
  void aConfigReadsBackFromItsOwnJsonUnchanged(String doc, String repr, String json, String intervalText, String metricsRepr)
      throws Exception {
    NodeConfig config = NodeConfig.parse(doc);
    NodeConfig again = NodeConfig.parse(config.toJson());

    assertThat(again).isEqualTo(config).hasSameHashCodeAs(config);
    assertThat(again.toJson()).isEqualTo(config.toJson());
  }

  @Test
  void theDefaultIsTheLabsDefault() {
    assertThat(NodeConfig.DEFAULT.repr()).isEqualTo("{'interval': 10, 'metrics': ['cpu', 'memory', 'disk']}");
    assertThat(NodeConfig.DEFAULT.toJson()).isEqualTo("{\"interval\": 10, \"metrics\": [\"cpu\", \"memory\", \"disk\"]}");
    assertThat(NodeConfig.DEFAULT.intervalText()).isEqualTo("10");
    assertThat(NodeConfig.DEFAULT.metricsRepr()).isEqualTo("['cpu', 'memory', 'disk']");
    assertThat(NodeConfig.DEFAULT.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(NodeConfig.DEFAULT.metrics()).containsExactly("cpu", "memory", "disk");
  }

  @Test
  void theDefaultEqualsTheSameConfigReadFromEtcd() throws Exception {
    assertThat(NodeConfig.parse("{\"interval\":10,\"metrics\":[\"cpu\",\"memory\",\"disk\"]}")).isEqualTo(NodeConfig.DEFAULT);
    assertThat(NodeConfig.parse("{\"interval\": 10.0, \"metrics\": [\"cpu\", \"memory\", \"disk\"]}").interval())
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void intervalBecomesADurationOfAtLeastOneMillisecond() throws Exception {
    assertThat(interval("10")).isEqualTo(Duration.ofSeconds(10));
    assertThat(interval("2.5")).isEqualTo(Duration.ofMillis(2500));
    assertThat(interval("0.001")).isEqualTo(Duration.ofMillis(1));
    assertThat(interval("0.1")).isEqualTo(Duration.ofMillis(100));
    assertThat(interval("86400")).isEqualTo(Duration.ofDays(1));
    assertThat(interval("86400.0")).isEqualTo(Duration.ofDays(1));
    assertThat(interval("1e-9")).isEqualTo(Duration.ofMillis(1));
    assertThat(interval("5e-324")).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void metricsAreTheListInOrderAndCannotBeChanged() throws Exception {
    NodeConfig config = NodeConfig.parse("{\"interval\": 1, \"metrics\": [\"disk\", \"cpu\", \"disk\"]}");

    assertThat(config.metrics()).containsExactly("disk", "cpu", "disk");
    assertThatThrownBy(() -> config.metrics().add("net")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aConfigDoesNotChangeWhenTheNodeItWasMadeFromDoes() throws Exception {
    ObjectNode node = (ObjectNode) Json.parse("{\"interval\": 2, \"metrics\": [\"cpu\"], \"extra\": {\"a\": 1}}");
    NodeConfig config = NodeConfig.of(node);

    node.put("interval", 99);
    node.withArray("metrics").add("memory");
    ((ObjectNode) node.get("extra")).put("b", 2);

    assertThat(config.repr()).isEqualTo("{'interval': 2, 'metrics': ['cpu'], 'extra': {'a': 1}}");
    assertThat(config.interval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void configsWithTheSameFieldsInTheSameOrderAreEqual() throws Exception {
    NodeConfig a = NodeConfig.parse("{\"interval\": 2, \"metrics\": [\"cpu\"]}");
    NodeConfig b = NodeConfig.parse("{ \"interval\":2,\"metrics\":[\"cpu\"] }");
    NodeConfig otherInterval = NodeConfig.parse("{\"interval\": 3, \"metrics\": [\"cpu\"]}");
    NodeConfig otherMetrics = NodeConfig.parse("{\"interval\": 2, \"metrics\": [\"cpu\", \"disk\"]}");

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(otherInterval).isNotEqualTo(otherMetrics).isNotEqualTo(null).isNotEqualTo("x");
  }

  static Stream<Arguments> invalidConfigs() {
    // (value, what the message must name: the field or the rule, and the value shown)
    return Stream.of(
        Arguments.of("not json", "not valid JSON", "not"),
        Arguments.of("", "not valid JSON", "empty"),
        Arguments.of("   ", "not valid JSON", "empty"),
        Arguments.of("{\"interval\": 10, \"metrics\": []} x", "not valid JSON", "x"),
        Arguments.of("{\"interval\": 10, \"metrics\": []}}", "not valid JSON", "}"),
        Arguments.of("{\"interval\": 10, \"metrics\": [\"cpu\",]}", "not valid JSON", "]"),
        Arguments.of("{'interval': 10, 'metrics': ['cpu']}", "not valid JSON", "'"),
        Arguments.of("[\"cpu\", \"memory\"]", "JSON object", "[\"cpu\", \"memory\"]"),
        Arguments.of("\"interval\"", "JSON object", "\"interval\""),
        Arguments.of("10", "JSON object", "10"),
        Arguments.of("2.5", "JSON object", "2.5"),
        Arguments.of("null", "JSON object", "null"),
        Arguments.of("true", "JSON object", "true"),
        Arguments.of("{\"metrics\": [\"cpu\"]}", "\"interval\"", "missing"),
        Arguments.of("{}", "\"interval\"", "missing"),
        Arguments.of("{\"Interval\": 10, \"metrics\": [\"cpu\"]}", "\"interval\"", "missing"),
        Arguments.of("{\"interval\": 0, \"metrics\": [\"cpu\"]}", "\"interval\"", "got 0"),
        Arguments.of("{\"interval\": 0.0, \"metrics\": [\"cpu\"]}", "\"interval\"", "got 0.0"),
        Arguments.of("{\"interval\": -0.0, \"metrics\": [\"cpu\"]}", "\"interval\"", "got -0.0"),
        Arguments.of("{\"interval\": -1, \"metrics\": [\"cpu\"]}", "\"interval\"", "got -1"),
        Arguments.of("{\"interval\": -2.5, \"metrics\": [\"cpu\"]}", "\"interval\"", "got -2.5"),
        Arguments.of("{\"interval\": 86400.0001, \"metrics\": [\"cpu\"]}", "\"interval\"", "got 86400.0001"),
        Arguments.of("{\"interval\": 86401, \"metrics\": [\"cpu\"]}", "\"interval\"", "got 86401"),
        Arguments.of("{\"interval\": 1e16, \"metrics\": [\"cpu\"]}", "\"interval\"", "got 1e+16"),
        Arguments.of("{\"interval\": 18446744073709551616, \"metrics\": [\"cpu\"]}", "\"interval\"", "got 18446744073709551616"),
        Arguments.of("{\"interval\": \"10\", \"metrics\": [\"cpu\"]}", "\"interval\"", "got \"10\""),
        Arguments.of("{\"interval\": \"10\\n\", \"metrics\": [\"cpu\"]}", "\"interval\"", "got \"10\\n\""),
        Arguments.of("{\"interval\": true, \"metrics\": [\"cpu\"]}", "\"interval\"", "got true"),
        Arguments.of("{\"interval\": false, \"metrics\": [\"cpu\"]}", "\"interval\"", "got false"),
        Arguments.of("{\"interval\": null, \"metrics\": [\"cpu\"]}", "\"interval\"", "got null"),
        Arguments.of("{\"interval\": NaN, \"metrics\": [\"cpu\"]}", "\"interval\"", "got NaN"),
        Arguments.of("{\"interval\": Infinity, \"metrics\": [\"cpu\"]}", "\"interval\"", "got Infinity"),
        Arguments.of("{\"interval\": -Infinity, \"metrics\": [\"cpu\"]}", "\"interval\"", "got -Infinity"),
        Arguments.of("{\"interval\": 1e400, \"metrics\": [\"cpu\"]}", "\"interval\"", "got Infinity"),
        Arguments.of("{\"interval\": [10], \"metrics\": [\"cpu\"]}", "\"interval\"", "got [10]"),
        Arguments.of("{\"interval\": {\"seconds\": 10}, \"metrics\": [\"cpu\"]}", "\"interval\"", "got {\"seconds\": 10}"),
        Arguments.of("{\"interval\": 10}", "\"metrics\"", "missing"),
        Arguments.of("{\"interval\": 10, \"metrics\": \"cpu\"}", "\"metrics\"", "got \"cpu\""),
        Arguments.of("{\"interval\": 10, \"metrics\": \"cpu,memory\"}", "\"metrics\"", "got \"cpu,memory\""),
        Arguments.of("{\"interval\": 10, \"metrics\": [1]}", "\"metrics\"", "got element 1 in [1]"),
        Arguments.of("{\"interval\": 10, \"metrics\": [null]}", "\"metrics\"", "got element null in [null]"),
        Arguments.of("{\"interval\": 10, \"metrics\": [\"cpu\", true]}", "\"metrics\"", "got element true in [\"cpu\", true]"),
        Arguments.of("{\"interval\": 10, \"metrics\": [\"cpu\", [\"mem\"]]}", "\"metrics\"", "[\"mem\"]"),
        Arguments.of("{\"interval\": 10, \"metrics\": {\"cpu\": true}}", "\"metrics\"", "got {\"cpu\": true}"),
        Arguments.of("{\"interval\": 10, \"metrics\": null}", "\"metrics\"", "got null"),
        Arguments.of("{\"interval\": 10, \"metrics\": 3}", "\"metrics\"", "got 3"));
  }

  @ParameterizedTest
  @MethodSource("invalidConfigs")
  void rejectsAnInvalidConfigNamingTheFieldAndTheValueOnOneLine(String text, String names, String shows) {
    assertThatThrownBy(() -> NodeConfig.parse(text))
        .isInstanceOf(NodeConfig.InvalidConfigException.class)
        .hasMessageContaining(names)
        .hasMessageContaining(shows)
        .satisfies(e -> assertOneLine(e.getMessage()));
  }

  @Test
  void anIntervalMessageSaysWhatIsExpected() {
    assertThatThrownBy(() -> NodeConfig.parse("{\"interval\": 0, \"metrics\": []}"))
        .hasMessage("\"interval\" must be a number of seconds > 0 and <= 86400, got 0");
    assertThatThrownBy(() -> NodeConfig.parse("{\"interval\": 10, \"metrics\": \"cpu\"}"))
        .hasMessage("\"metrics\" must be a list of strings, got \"cpu\"");
  }

  @Test
  void aHugeBadValueIsShortenedInTheMessage() {
    String metrics = "[\"" + "x".repeat(500) + "\", 1]";

    assertThatThrownBy(() -> NodeConfig.parse("{\"interval\": 10, \"metrics\": " + metrics + "}"))
        .hasMessageStartingWith("\"metrics\" must be a list of strings, got element 1 in [\"xxx")
        .hasMessageContaining("...")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  @Test
  void aValueWithControlAndLineSeparatorCharactersStillGivesAOneLineMessage() {
    assertThatThrownBy(() -> NodeConfig.parse("{\"interval\": \"1\u2028\u0085\\r\\n0\", \"metrics\": []}"))
        .hasMessageContaining("\"interval\"")
        .satisfies(e -> assertOneLine(e.getMessage()));
    assertThatThrownBy(() -> NodeConfig.parse("\u2028{\"interval\": 1, \"metrics\": []}"))
        .hasMessageContaining("not valid JSON")
        .satisfies(e -> assertOneLine(e.getMessage()));
  }

  @Test
  void ofRejectsWhatParseRejects() throws Exception {
    assertThatThrownBy(() -> NodeConfig.of(Json.parse("[1]"))).isInstanceOf(NodeConfig.InvalidConfigException.class);
    assertThatThrownBy(() -> NodeConfig.of(Json.parse("{\"interval\": 0, \"metrics\": []}")))
        .isInstanceOf(NodeConfig.InvalidConfigException.class);
  }

  private static Duration interval(String value) throws Exception {
    return NodeConfig.parse("{\"interval\": " + value + ", \"metrics\": []}").interval();
  }

  private static void assertOneLine(String message) {
    assertThat(message).isNotBlank().doesNotContain("\n", "\r", "\u0085", "\u2028", "\u2029");
  }
}
