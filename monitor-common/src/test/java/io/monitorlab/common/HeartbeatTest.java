package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The heartbeat value on the wire. Expected values were printed by Python 3.11:
 * {@code json.dumps({"status": "alive", "ts": sec + micros / 1e6, "hostname": "worker1"})}, and each
 * was read back with {@code json.loads}.
 */
@Timeout(10)
class HeartbeatTest {

  static Stream<Arguments> instants() {
    return Stream.of(
        Arguments.of(Instant.ofEpochSecond(1732400000L, 123456789), "{\"status\": \"alive\", \"ts\": 1732400000.123456, \"hostname\": \"worker1\"}"),
        Arguments.of(Instant.ofEpochSecond(1732400000L, 123456000), "{\"status\": \"alive\", \"ts\": 1732400000.123456, \"hostname\": \"worker1\"}"),
        Arguments.of(Instant.ofEpochSecond(1732400000L, 0), "{\"status\": \"alive\", \"ts\": 1732400000.0, \"hostname\": \"worker1\"}"),
        Arguments.of(Instant.ofEpochSecond(1732400000L, 1000), "{\"status\": \"alive\", \"ts\": 1732400000.000001, \"hostname\": \"worker1\"}"),
        Arguments.of(Instant.ofEpochSecond(1732400000L, 999999999), "{\"status\": \"alive\", \"ts\": 1732400000.999999, \"hostname\": \"worker1\"}"),
        Arguments.of(Instant.ofEpochSecond(1700000000L, 500000000), "{\"status\": \"alive\", \"ts\": 1700000000.5, \"hostname\": \"worker1\"}"),
        Arguments.of(Instant.ofEpochSecond(0L, 0), "{\"status\": \"alive\", \"ts\": 0.0, \"hostname\": \"worker1\"}"),
        Arguments.of(Instant.ofEpochSecond(0L, 1000), "{\"status\": \"alive\", \"ts\": 1e-06, \"hostname\": \"worker1\"}"),
        Arguments.of(Instant.ofEpochSecond(1L, 100000), "{\"status\": \"alive\", \"ts\": 1.0001, \"hostname\": \"worker1\"}"),
        Arguments.of(Instant.ofEpochSecond(4102444800L, 10), "{\"status\": \"alive\", \"ts\": 4102444800.0, \"hostname\": \"worker1\"}"),
        Arguments.of(Instant.ofEpochSecond(1732400000L, 100000000), "{\"status\": \"alive\", \"ts\": 1732400000.1, \"hostname\": \"worker1\"}"));
  }

  @ParameterizedTest
  @MethodSource("instants")
  void writesTheValueByteForByteAsThePythonLabDoes(Instant now, String expected) {
    assertThat(Heartbeat.alive("worker1", now).toJson()).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("instants")
  void readsBackWhatItWrites(Instant now, String json) {
    Heartbeat beat = Heartbeat.alive("worker1", now);

    assertThat(Heartbeat.parse(beat.toJson())).contains(beat);
    assertThat(Heartbeat.parse(json)).contains(beat);
  }

  @Test
  void theValueHasExactlyTheLabsThreeKeysInTheLabsOrder() throws Exception {
    String json = Heartbeat.alive("worker1", Instant.ofEpochSecond(1732400000L, 123456000)).toJson();

    assertThat(json).isEqualTo("{\"status\": \"alive\", \"ts\": 1732400000.123456, \"hostname\": \"worker1\"}");
    assertThat(Json.parse(json).fieldNames()).toIterable().containsExactly("status", "ts", "hostname");
  }

  @Test
  void tsIsEpochSecondsTruncatedToMicroseconds() {
    Heartbeat beat = Heartbeat.alive("worker1", Instant.ofEpochSecond(1732400000L, 123456789));

    assertThat(beat.ts()).isEqualTo(1732400000.123456);
    assertThat(beat.time()).isEqualTo(Instant.ofEpochSecond(1732400000L, 123456000));
  }

  @Test
  void aLeavingBeatSaysSo() {
    Heartbeat leaving = Heartbeat.leaving("worker1", Instant.ofEpochSecond(1732400000L, 500_000_000));

    assertThat(leaving.isLeaving()).isTrue();
    assertThat(leaving.status()).isEqualTo("leaving");
    assertThat(leaving.toJson()).isEqualTo("{\"status\": \"leaving\", \"ts\": 1732400000.5, \"hostname\": \"worker1\"}");
    assertThat(Heartbeat.alive("worker1", Instant.EPOCH).isLeaving()).isFalse();
  }

  @Test
  void escapesAHostnameAsJsonDumpsDoes() {
    // Python: json.dumps({"status": "leaving", "ts": 1732400000.5, "hostname": ...})
    Instant now = Instant.ofEpochSecond(1732400000L, 500_000_000);

    assertThat(Heartbeat.leaving("it's \"q\"", now).toJson())
        .isEqualTo("{\"status\": \"leaving\", \"ts\": 1732400000.5, \"hostname\": \"it's \\\"q\\\"\"}");
    assertThat(Heartbeat.leaving("caf\u00e9\ud83d\ude00\u2028", now).toJson())
        .isEqualTo("{\"status\": \"leaving\", \"ts\": 1732400000.5, \"hostname\": \"caf\\u00e9\\ud83d\\ude00\\u2028\"}");
  }

  @Test
  void readsAValueWrittenByThePythonLab() {
    assertThat(Heartbeat.parse("{\"status\": \"alive\", \"ts\": 1732400000.123456, \"hostname\": \"worker1\"}"))
        .contains(new Heartbeat("alive", 1732400000.123456, "worker1"));
    assertThat(Heartbeat.parse("{\"hostname\":\"w2\",\"ts\":1732400001,\"status\":\"leaving\"}"))
        .contains(new Heartbeat("leaving", 1732400001.0, "w2"));
  }

  @Test
  void toleratesMissingAndOddFieldsInAForeignObject() {
    assertThat(Heartbeat.parse("{}")).contains(new Heartbeat("", Double.NaN, ""));
    assertThat(Heartbeat.parse("{\"status\": 1, \"ts\": \"soon\", \"hostname\": null}")).contains(new Heartbeat("", Double.NaN, ""));
    assertThat(Heartbeat.parse("{\"status\": \"alive\", \"ts\": [1], \"hostname\": {\"a\": 1}, \"extra\": true}"))
        .contains(new Heartbeat("alive", Double.NaN, ""));
    assertThat(Heartbeat.parse("{\"status\": \"dying\", \"ts\": NaN, \"hostname\": \"a/b\"}"))
        .hasValueSatisfying(b -> {
          assertThat(b.status()).isEqualTo("dying");
          assertThat(b.isLeaving()).isFalse();
          assertThat(b.ts()).isNaN();
          assertThat(b.hostname()).isEqualTo("a/b");
        });
    assertThat(Heartbeat.parse("{\"ts\": 18446744073709551616}")).hasValueSatisfying(b -> assertThat(b.ts()).isEqualTo(1.8446744073709552e19));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "alive", "not json", "{", "{\"status\": \"alive\"", "{\"status\": \"alive\"} x",
      "{'status': 'alive'}", "[]", "[{\"status\": \"alive\"}]", "\"alive\"", "1732400000.5", "null", "true", "\ufeff{}",
      "\u0000", "\u00ff\u00fe"})
  void aValueThatIsNotAJsonObjectIsNoHeartbeat(String value) {
    assertThat(Heartbeat.parse(value)).isEmpty();
  }

  @Test
  void timeOfAFractionalTsIsTheInstantToTheMicrosecond() {
    assertThat(new Heartbeat("alive", 1732400000.5, "w").time()).isEqualTo(Instant.ofEpochSecond(1732400000L, 500_000_000));
    assertThat(new Heartbeat("alive", 1732400000.0, "w").time()).isEqualTo(Instant.ofEpochSecond(1732400000L));
    assertThat(new Heartbeat("alive", -1.5, "w").time()).isEqualTo(Instant.ofEpochSecond(-2L, 500_000_000));
  }

  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e300, 1e17, -1e17,
      9.2e18, Double.MAX_VALUE, 1732400000.9999999})
  void timeOfAnAbsurdForeignTsDoesNotThrow(double ts) {
    assertThatCode(() -> new Heartbeat("alive", ts, "w").time()).doesNotThrowAnyException();
  }
}
