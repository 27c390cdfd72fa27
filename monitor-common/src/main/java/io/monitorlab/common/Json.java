package io.monitorlab.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Parses JSON as Python's {@code json.loads} accepts it. This class is thread-safe. */
public final class Json {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
      .build();

  private Json() {}

  /** Parses one JSON document; the exception message is one line describing what is wrong. */
  public static JsonNode parse(String text) throws InvalidJsonException {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new InvalidJsonException("not valid JSON: empty value");
      }
      return node;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
      String why = e.getOriginalMessage().lines().findFirst().orElse("syntax error")
          .replaceAll(" ?\\(start marker at \\[Source:.*?]\\)", "")
          .replaceAll(" ?\\[Source:.*?]", "");
      throw new InvalidJsonException("not valid JSON: " + why + where);
    }
  }

  /** The shared mapper, for building values (never reconfigure it). */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** A value that is not JSON. */
  public static final class InvalidJsonException extends Exception {
    public InvalidJsonException(String message) {
      super(message);
    }
  }
}
