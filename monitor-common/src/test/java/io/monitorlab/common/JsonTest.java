package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Json#parse} accepts what Python's {@code json.loads} accepts and nothing else. */
@Timeout(10)
class JsonTest {

  @Test
  void parsesTheLabsHeartbeatValueKeepingKeyOrder() throws Exception {
    JsonNode value = Json.parse("{\"status\": \"alive\", \"ts\": 1732400000.123456, \"hostname\": \"worker1\"}");

    assertThat(value.isObject()).isTrue();
    assertThat(value.fieldNames()).toIterable().containsExactly("status", "ts", "hostname");
    assertThat(value.get("ts").isFloatingPointNumber()).isTrue();
    assertThat(value.get("ts").doubleValue()).isEqualTo(1732400000.123456);
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "true", "false", "0", "-0", "42", "1.5", "\"x\"", "[]", "{}", " \t\n\r{}\n "})
  void acceptsAnyJsonValueAtTheTopLevelAsPythonDoes(String text) throws Exception {
    assertThat(Json.parse(text)).isNotNull();
  }

  @Test
  void acceptsTheNonNumbersPythonWrites() throws Exception {
    JsonNode value = Json.parse("[NaN, Infinity, -Infinity]");

    assertThat(value.get(0).doubleValue()).isNaN();
    assertThat(value.get(1).doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(value.get(2).doubleValue()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void keepsIntegersAndFloatsApartAsPythonDoes() throws Exception {
    JsonNode value = Json.parse("[10, 10.0, 1e1, 18446744073709551615, 1e400]");

    assertThat(value.get(0).isIntegralNumber()).isTrue();
    assertThat(value.get(1).isFloatingPointNumber()).isTrue();
    assertThat(value.get(2).isFloatingPointNumber()).isTrue();
    assertThat(value.get(3).bigIntegerValue()).hasToString("18446744073709551615");
    assertThat(value.get(4).doubleValue()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void aRepeatedKeyKeepsItsFirstPlaceAndItsLastValueAsInPython() throws Exception {
    // Python: json.loads('{"a": 1, "b": 2, "a": 3}') == {'a': 3, 'b': 2}
    JsonNode value = Json.parse("{\"a\": 1, \"b\": 2, \"a\": 3}");

    assertThat(value.fieldNames()).toIterable().containsExactly("a", "b");
    assertThat(value.get("a").intValue()).isEqualTo(3);
  }

  @Test
  void decodesEscapesAsPythonDoes() throws Exception {
    JsonNode value = Json.parse("[\"\\/\", \"\\u00e9\", \"\\ud83d\\ude00\", \"\\ud800\", \"a\\u0000b\", \"\\b\\f\\n\\r\\t\\\"\\\\\"]");

    assertThat(value.get(0).textValue()).isEqualTo("/");
    assertThat(value.get(1).textValue()).isEqualTo("\u00e9");
    assertThat(value.get(2).textValue()).isEqualTo("\ud83d\ude00");
    assertThat(value.get(3).textValue()).isEqualTo("\ud800");
    assertThat(value.get(4).textValue()).isEqualTo("a\0b");
    assertThat(value.get(5).textValue()).isEqualTo("\b\f\n\r\t\"\\");
  }

  @Test
  void acceptsRawNonAsciiAndDelInStrings() throws Exception {
    assertThat(Json.parse("\"caf\u00e9 \ud83d\ude00 \u2028 \u007f\"").textValue()).isEqualTo("caf\u00e9 \ud83d\ude00 \u2028 \u007f");
  }

  // Every one of these makes Python's json.loads raise JSONDecodeError (checked with Python 3.11).
  @ParameterizedTest
  @ValueSource(strings = {"",
      " ",
      "\n",
      "not json",
      "{} x",
      "{}}",
      "[] []",
      "1 2",
      "{\"a\": 1} {\"b\": 2}",
      "[1,]",
      "{\"a\":1,}",
      "{'a': 1}",
      "{a: 1}",
      "'x'",
      "[1]//c",
      "/* */1",
      "#\n1",
      "01",
      "-01",
      "1.",
      ".5",
      "1e",
      "-",
      "--1",
      "0x10",
      "+1",
      "True",
      "nan",
      "INF",
      "tru",
      "nul",
      "null x",
      "\"a\tb\"",
      "\"a\nb\"",
      "\"abc",
      "[",
      "{\"a\":[}",
      "\"\\x41\"",
      "\"\\u12\"",
      "\ufeff{}",
      "\240{}",
      "\014{}",
      "{}\000",
      "1_000",
      "\u0661"})
  void rejectsWhatPythonRejectsWithAOneLineMessage(String text) {
    assertThatThrownBy(() -> Json.parse(text))
        .isInstanceOf(Json.InvalidJsonException.class)
        .hasMessageStartingWith("not valid JSON: ")
        .satisfies(e -> assertOneLine(e.getMessage()));
  }

  // Jackson's ALLOW_NON_NUMERIC_NUMBERS also takes these; Python's json.loads does not.
  @ParameterizedTest
  @ValueSource(strings = {"+Infinity", "+INF", "-INF", "[1, +Infinity]", "{\"ts\": -INF}"})
  void rejectsTheNonNumbersOnlyJacksonKnows(String text) {
    assertThatThrownBy(() -> Json.parse(text))
        .isInstanceOf(Json.InvalidJsonException.class)
        .hasMessageStartingWith("not valid JSON: ")
        .satisfies(e -> assertOneLine(e.getMessage()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u2028{}", "{}\u2029", "\u0085", "[1, \u2028]"})
  void aMessageAboutAnUnexpectedLineSeparatorIsStillOneLine(String text) {
    assertThatThrownBy(() -> Json.parse(text))
        .isInstanceOf(Json.InvalidJsonException.class)
        .satisfies(e -> assertOneLine(e.getMessage()));
  }

  @Test
  void anEmptyValueIsNamedAsSuch() {
    assertThatThrownBy(() -> Json.parse("")).hasMessage("not valid JSON: empty value");
    assertThatThrownBy(() -> Json.parse("  \n ")).hasMessage("not valid JSON: empty value");
  }

  @Test
  void aSyntaxErrorSaysWhere() {
    assertThatThrownBy(() -> Json.parse("{\"interval\": 10,\n \"metrics\": [\"cpu\",]}"))
        .hasMessageStartingWith("not valid JSON: ")
        .hasMessageContaining("line 2");
  }

  @Test
  void extraDataAfterTheValueIsNamedWithItsPlace() {
    assertThatThrownBy(() -> Json.parse("{\"a\": 1}\n [2]"))
        .hasMessage("not valid JSON: extra data after the value at line 2 column 2");
  }

  @Test
  void buildsDeeplyNestedValuesWithoutRecursion() throws Exception {
    int depth = 998; // with the innermost list: 999 levels, Jackson allows 1,000
    String text = "[{\"a\": ".repeat(depth / 2) + "[]" + "}]".repeat(depth / 2);

    JsonNode value = Json.parse(text);

    for (int i = 0; i < depth / 2; i++) {
      assertThat(value.size()).isEqualTo(1);
      value = value.get(0).get("a");
    }
    assertThat(value.isArray()).isTrue();
    assertThat(value.isEmpty()).isTrue();
    assertThatThrownBy(() -> Json.parse("[".repeat(5000) + "]".repeat(5000)))
        .isInstanceOf(Json.InvalidJsonException.class)
        .satisfies(e -> assertOneLine(e.getMessage()));
  }

  @Test
  void nestedContainersKeepTheirKeysAndOrder() throws Exception {
    JsonNode value = Json.parse("{\"o\": {\"x\": [1, {\"y\": null}], \"z\": {}}, \"l\": [[], [true]], \"s\": \"t\"}");

    assertThat(Py.dumps(value)).isEqualTo("{\"o\": {\"x\": [1, {\"y\": null}], \"z\": {}}, \"l\": [[], [true]], \"s\": \"t\"}");
  }

  private static void assertOneLine(String message) {
    assertThat(message).isNotBlank().doesNotContain("\n", "\r", "\u0085", "\u2028", "\u2029");
  }
}
