package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Py} and {@link PyFloat} against Python 3.11. Every expected string below was printed by
 * Python ({@code repr(x)}, {@code json.dumps(json.loads(doc))}, {@code repr(json.loads(doc))}), not
 * worked out by hand.
 */
@Timeout(10)
class PyTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static Stream<Arguments> floats() {
    // repr(x) in Python 3.11
    return Stream.of(
        Arguments.of(1e16, "1e+16"),
        Arguments.of(1e15, "1000000000000000.0"),
        Arguments.of(9999999999999998.0, "9999999999999998.0"),
        Arguments.of(0.0001, "0.0001"),
        Arguments.of(0.00001, "1e-05"),
        Arguments.of(9.999999999999999e-05, "9.999999999999999e-05"),
        Arguments.of(1732400000.123456, "1732400000.123456"),
        Arguments.of(1732400000.0, "1732400000.0"),
        Arguments.of(0.1, "0.1"),
        Arguments.of(0.1 + 0.2, "0.30000000000000004"),
        Arguments.of(1.0 / 3, "0.3333333333333333"),
        Arguments.of(2.0 / 3, "0.6666666666666666"),
        Arguments.of(-0.0, "-0.0"),
        Arguments.of(0.0, "0.0"),
        Arguments.of(5e-324, "5e-324"),
        Arguments.of(Double.MIN_NORMAL, "2.2250738585072014e-308"),
        Arguments.of(1.7976931348623157e308, "1.7976931348623157e+308"),
        Arguments.of(1e22, "1e+22"),
        Arguments.of(1e23, "1e+23"),
        Arguments.of(123456789012345678.0, "1.2345678901234568e+17"),
        Arguments.of(2.5, "2.5"),
        Arguments.of(10.0, "10.0"),
        Arguments.of(-1.5, "-1.5"),
        Arguments.of(100.0, "100.0"),
        Arguments.of(1e-7, "1e-07"),
        Arguments.of(9007199254740992.0, "9007199254740992.0"),
        Arguments.of(9007199254740993.0, "9007199254740992.0"),
        Arguments.of(9223372036854775807.0, "9.223372036854776e+18"),
        Arguments.of(1.5e300, "1.5e+300"),
        Arguments.of(-2.5e-300, "-2.5e-300"),
        Arguments.of(86400.0001, "86400.0001"),
        Arguments.of(0.001, "0.001"),
        Arguments.of(123.456, "123.456"),
        Arguments.of(1e-5 * 3, "3.0000000000000004e-05"));
  }

  static Stream<Arguments> powersOfTwo() {
    // repr(2.0 ** e): the gap below a power of two is half the gap above it
    return Stream.of(
        Arguments.of(Math.scalb(1.0, -24), "5.960464477539063e-08"),
        Arguments.of(Math.scalb(1.0, -44), "5.684341886080802e-14"),
        Arguments.of(Math.scalb(1.0, -77), "6.617444900424222e-24"),
        Arguments.of(Math.scalb(1.0, 89), "6.189700196426902e+26"),
        Arguments.of(Math.scalb(1.0, 122), "5.316911983139664e+36"),
        Arguments.of(Math.scalb(1.0, -1017), "7.120236347223045e-307"));
  }

  static Stream<Arguments> documents() {
    // (doc, json.dumps(json.loads(doc)), repr(json.loads(doc)))
    return Stream.of(
        Arguments.of("{\"status\": \"alive\", \"ts\": 1732400000.123456, \"hostname\": \"worker1\"}",
            "{\"status\": \"alive\", \"ts\": 1732400000.123456, \"hostname\": \"worker1\"}",
            "{'status': 'alive', 'ts': 1732400000.123456, 'hostname': 'worker1'}"),
        Arguments.of("{\"interval\":10,\"metrics\":[\"cpu\",\"memory\",\"disk\"]}",
            "{\"interval\": 10, \"metrics\": [\"cpu\", \"memory\", \"disk\"]}",
            "{'interval': 10, 'metrics': ['cpu', 'memory', 'disk']}"),
        Arguments.of("\"it's\"",
            "\"it's\"",
            "\"it's\""),
        Arguments.of("\"say \\\"hi\\\"\"",
            "\"say \\\"hi\\\"\"",
            "'say \"hi\"'"),
        Arguments.of("\"both ' and \\\"\"",
            "\"both ' and \\\"\"",
            "'both \\' and \"'"),
        Arguments.of("\"back\\\\slash\"",
            "\"back\\\\slash\"",
            "'back\\\\slash'"),
        Arguments.of("\"\\\\'\\\"\"",
            "\"\\\\'\\\"\"",
            "'\\\\\\'\"'"),
        Arguments.of("\"nl\\ntab\\tcr\\r\"",
            "\"nl\\ntab\\tcr\\r\"",
            "'nl\\ntab\\tcr\\r'"),
        Arguments.of("\"del\\u007f\"",
            "\"del\\u007f\"",
            "'del\\x7f'"),
        Arguments.of("\"\\u0000\\u0001\\u001f\\u001b\"",
            "\"\\u0000\\u0001\\u001f\\u001b\"",
            "'\\x00\\x01\\x1f\\x1b'"),
        Arguments.of("\"\\b\\f\"",
            "\"\\b\\f\"",
            "'\\x08\\x0c'"),
        Arguments.of("\"caf\351\"",
            "\"caf\\u00e9\"",
            "'caf\351'"),
        Arguments.of("\"caf\\u00e9\"",
            "\"caf\\u00e9\"",
            "'caf\351'"),
        Arguments.of("\"\ud83d\ude00\"",
            "\"\\ud83d\\ude00\"",
            "'\ud83d\ude00'"),
        Arguments.of("\"\\ud83d\\ude00\"",
            "\"\\ud83d\\ude00\"",
            "'\ud83d\ude00'"),
        Arguments.of("\"line\u2028sep\u2029para\"",
            "\"line\\u2028sep\\u2029para\"",
            "'line\\u2028sep\\u2029para'"),
        Arguments.of("\"nb\240sp\"",
            "\"nb\\u00a0sp\"",
            "'nb\\xa0sp'"),
        Arguments.of("\"zero\u200bwidth\"",
            "\"zero\\u200bwidth\"",
            "'zero\\u200bwidth'"),
        Arguments.of("\"soft\255hyphen\ufeffbom\"",
            "\"soft\\u00adhyphen\\ufeffbom\"",
            "'soft\\xadhyphen\\ufeffbom'"),
        Arguments.of("\"private\ue000 unassigned\u0378 ideographic\u3000space\"",
            "\"private\\ue000 unassigned\\u0378 ideographic\\u3000space\"",
            "'private\\ue000 unassigned\\u0378 ideographic\\u3000space'"),
        Arguments.of("\"e\u0301 combining, \u4e2d\u6587, \u0645\u0631\u062d\u0628\u0627\"",
            "\"e\\u0301 combining, \\u4e2d\\u6587, \\u0645\\u0631\\u062d\\u0628\\u0627\"",
            "'e\u0301 combining, \u4e2d\u6587, \u0645\u0631\u062d\u0628\u0627'"),
        Arguments.of("\"c1\205\233\"",
            "\"c1\\u0085\\u009b\"",
            "'c1\\x85\\x9b'"),
        Arguments.of("\"\\/\"",
            "\"/\"",
            "'/'"),
        Arguments.of("\"\\ud800\"",
            "\"\\ud800\"",
            "'\\ud800'"),
        Arguments.of("{\"a\": {\"b\": [1, 2.5, {\"c\": null}]}, \"d\": [], \"e\": {}, \"f\": [[]]}",
            "{\"a\": {\"b\": [1, 2.5, {\"c\": null}]}, \"d\": [], \"e\": {}, \"f\": [[]]}",
            "{'a': {'b': [1, 2.5, {'c': None}]}, 'd': [], 'e': {}, 'f': [[]]}"),
        Arguments.of("[true, false, null]",
            "[true, false, null]",
            "[True, False, None]"),
        Arguments.of("true",
            "true",
            "True"),
        Arguments.of("false",
            "false",
            "False"),
        Arguments.of("null",
            "null",
            "None"),
        Arguments.of("42",
            "42",
            "42"),
        Arguments.of("-7",
            "-7",
            "-7"),
        Arguments.of("\"x\"",
            "\"x\"",
            "'x'"),
        Arguments.of("[]",
            "[]",
            "[]"),
        Arguments.of("{}",
            "{}",
            "{}"),
        Arguments.of("[18446744073709551615, -9223372036854775809, 1000000000000000000000000000000, 0, -0, 9223372036854775807]",
            "[18446744073709551615, -9223372036854775809, 1000000000000000000000000000000, 0, 0, 9223372036854775807]",
            "[18446744073709551615, -9223372036854775809, 1000000000000000000000000000000, 0, 0, 9223372036854775807]"),
        Arguments.of("[1e16, 1e15, 0.0001, 0.00001, 1732400000.123456, 0.1, 0.3333333333333333, -0.0, 5e-324, 1.7976931348623157e308, 1e22, 123456789012345678.0]",
            "[1e+16, 1000000000000000.0, 0.0001, 1e-05, 1732400000.123456, 0.1, 0.3333333333333333, -0.0, 5e-324, 1.7976931348623157e+308, 1e+22, 1.2345678901234568e+17]",
            "[1e+16, 1000000000000000.0, 0.0001, 1e-05, 1732400000.123456, 0.1, 0.3333333333333333, -0.0, 5e-324, 1.7976931348623157e+308, 1e+22, 1.2345678901234568e+17]"),
        Arguments.of("[1E2, 1e-7, 2.50, 10.0, 1e400, -1e400, 0e0]",
            "[100.0, 1e-07, 2.5, 10.0, Infinity, -Infinity, 0.0]",
            "[100.0, 1e-07, 2.5, 10.0, inf, -inf, 0.0]"),
        Arguments.of("[NaN, Infinity, -Infinity]",
            "[NaN, Infinity, -Infinity]",
            "[nan, inf, -inf]"),
        Arguments.of("{\"a\": 1, \"b\": 2, \"a\": 3}",
            "{\"a\": 3, \"b\": 2}",
            "{'a': 3, 'b': 2}"),
        Arguments.of(" \t\n\r{ \"k\" :\n[ 1 ,2 ] }\n",
            "{\"k\": [1, 2]}",
            "{'k': [1, 2]}"),
        Arguments.of("{\"it's\": \"a \\\"b\\\"\", \"x\\ny\": [\"'\", \"\\\"\", \"'\\\"\"]}",
            "{\"it's\": \"a \\\"b\\\"\", \"x\\ny\": [\"'\", \"\\\"\", \"'\\\"\"]}",
            "{\"it's\": 'a \"b\"', 'x\\ny': [\"'\", '\"', '\\'\"']}"),
        Arguments.of("{\"\351\": \"\ud83d\ude00\", \"\": \"\"}",
            "{\"\\u00e9\": \"\\ud83d\\ude00\", \"\": \"\"}",
            "{'\351': '\ud83d\ude00', '': ''}"));
  }

  @ParameterizedTest
  @MethodSource("floats")
  void rendersFloatsAsPythonReprDoes(double x, String expected) {
    assertThat(PyFloat.repr(x)).isEqualTo(expected);
    assertThat(Py.reprFloat(x)).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("floats")
  void writesFiniteFloatsInJsonAsTheirRepr(double x, String expected) {
    assertThat(PyFloat.json(x)).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("powersOfTwo")
  void rendersPowersOfTwoWithTheShortestDigitsPythonFinds(double x, String expected) {
    assertThat(PyFloat.repr(x)).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource({"floats", "powersOfTwo"})
  void everyRenderedFloatReadsBackAsTheSameDouble(double x, String ignored) {
    assertThat(Double.parseDouble(PyFloat.repr(x))).isEqualTo(x);
    assertThat(Double.doubleToRawLongBits(Double.parseDouble(PyFloat.repr(x)))).isEqualTo(Double.doubleToRawLongBits(x));
  }

  @Test
  void rendersSpecialFloatsAsReprAndJsonDumpsDo() {
    assertThat(PyFloat.repr(Double.NaN)).isEqualTo("nan");
    assertThat(PyFloat.repr(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(PyFloat.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    assertThat(PyFloat.json(Double.NaN)).isEqualTo("NaN");
    assertThat(PyFloat.json(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
    assertThat(PyFloat.json(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
  }

  @ParameterizedTest
  @MethodSource("documents")
  void dumpsWritesWhatPythonJsonDumpsWrites(String doc, String dumps, String repr) throws Exception {
    assertThat(Py.dumps(Json.parse(doc))).isEqualTo(dumps);
  }

  @ParameterizedTest
  @MethodSource("documents")
  void reprWritesWhatPythonReprWrites(String doc, String dumps, String repr) throws Exception {
    assertThat(Py.repr(Json.parse(doc))).isEqualTo(repr);
  }

  @ParameterizedTest
  @MethodSource("documents")
  void dumpsIsPrintableAsciiAndReadsBackAsTheSameValue(String doc, String dumps, String repr) throws Exception {
    JsonNode value = Json.parse(doc);
    String written = Py.dumps(value);
    assertThat(written.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    assertThat(Py.dumps(Json.parse(written))).isEqualTo(written);
  }

  @Test
  void rendersAListOfStringsAsPythonReprDoes() {
    // Python: repr(["it's", 'say "hi"', 'both \' and "', 'a\\b', 'caf\xe9', '\U0001f600', chr(0x2028)])
    assertThat(Py.repr(List.of("cpu", "memory", "disk"))).isEqualTo("['cpu', 'memory', 'disk']");
    assertThat(Py.repr(List.<String>of())).isEqualTo("[]");
    assertThat(Py.repr(List.of("it's", "say \"hi\"", "both ' and \"", "a\\b", "caf\u00e9", "\ud83d\ude00", "\u2028")))
        .isEqualTo("[\"it's\", 'say \"hi\"', 'both \\' and \"', 'a\\\\b', 'caf\u00e9', '\ud83d\ude00', '\\u2028']");
  }

  @Test
  void strPrintsIntegersBareAndFloatsWithTheirFraction() {
    // str(10), str(2.5), str(10.0), str(1e-05), str(10**20)
    assertThat(Py.str(NODES.numberNode(10))).isEqualTo("10");
    assertThat(Py.str(NODES.numberNode(2.5))).isEqualTo("2.5");
    assertThat(Py.str(NODES.numberNode(10.0))).isEqualTo("10.0");
    assertThat(Py.str(NODES.numberNode(0.00001))).isEqualTo("1e-05");
    assertThat(Py.str(NODES.numberNode(new BigInteger("100000000000000000000")))).isEqualTo("100000000000000000000");
  }
}
