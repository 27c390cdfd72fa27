package io.monitorlab.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/** Parses JSON as Python's {@code json.loads} accepts it. This class is thread-safe. */
public final class Json {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
      .build();

  private static final Set<String> PYTHON_NON_NUMBERS = Set.of("NaN", "Infinity", "-Infinity");

  private Json() {}

  /** Parses one JSON document; the exception message is one line describing what is wrong. */
  public static JsonNode parse(String text) throws InvalidJsonException {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new InvalidJsonException("not valid JSON: empty value");
      }
      if (text.contains("INF") || text.contains("+Infinity")) {
        refuseJacksonOnlyNonNumbers(text);
      }
      return node;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
      String why = e.getOriginalMessage().lines().findFirst().orElse("syntax error")
          .replaceAll(" ?\\(start marker at \\[Source:.*?]\\)", "")
          .replaceAll(" ?\\[Source:.*?]", "");
      throw new InvalidJsonException("not valid JSON: " + printable(why) + where);
    }
  }

  // Python's json.loads knows only NaN, Infinity and -Infinity; Jackson also takes +Infinity, +INF, -INF.
  private static void refuseJacksonOnlyNonNumbers(String text) throws JsonProcessingException, InvalidJsonException {
    try (JsonParser parser = MAPPER.createParser(text)) {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if (t == JsonToken.VALUE_NUMBER_FLOAT && parser.isNaN() && !PYTHON_NON_NUMBERS.contains(parser.getText())) {
          throw new InvalidJsonException("not valid JSON: " + parser.getText() + " is not a number Python reads"
              + " (use NaN, Infinity or -Infinity) at line " + parser.currentLocation().getLineNr()
              + " column " + parser.currentLocation().getColumnNr());
        }
      }
    } catch (JsonProcessingException | InvalidJsonException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: the text was already read once
    }
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
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
