package io.monitorlab.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class JsonTextTest {
  private static String written(JsonText value) throws Exception {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new ObjectMapper().getFactory().createGenerator(out)) {
      g.writeStartArray();
      value.write(g);
      g.writeEndArray();
    }
    return out.toString();
  }

  @Test
  void jsonIsKeptCompactWithoutLineBreaksAndReadAsATree() throws Exception {
    JsonText t = JsonText.of("{\n  \"cpu\": {\"usage_ratio\": 0.25},\n  \"disk\": {\"/\": {\"avail_bytes\": 10}}\n}");

    assertThat(t.toString()).isEqualTo("{\"cpu\":{\"usage_ratio\":0.25},\"disk\":{\"/\":{\"avail_bytes\":10}}}");
    assertThat(written(t)).isEqualTo("[" + t + "]");
    assertThat(t.tree().path("cpu").path("usage_ratio").asDouble()).isEqualTo(0.25);
  }

  @Test
  void aValueThatIsNotJsonIsAStringEscapedWhereItIsWritten() throws Exception {
    JsonText t = JsonText.of("alive \"at\"\nnoon");

    assertThat(t.tree().isTextual()).isTrue();
    assertThat(t.tree().asText()).isEqualTo("alive \"at\"\nnoon");
    assertThat(written(t)).isEqualTo("[\"alive \\\"at\\\"\\nnoon\"]");
    assertThat(t).hasToString("\"alive \\\"at\\\"\\nnoon\"");
  }

  @Test
  void pythonsNonNumbersAreWrittenAsTheApiWritesThemAndTheSameValueIsEqual() {
    JsonText t = JsonText.of("{\"load1\": NaN, \"ts\": 1.5}");

    assertThat(t).hasToString("{\"load1\":\"NaN\",\"ts\":1.5}");
    assertThat(t).isEqualTo(JsonText.of("{\"load1\":NaN,  \"ts\":1.5}")).hasSameHashCodeAs(JsonText.of("{\"load1\":NaN,\"ts\":1.5}"));
    assertThat(t).isNotEqualTo(JsonText.of("{\"ts\": 1.5, \"load1\": NaN}"));
  }
}
