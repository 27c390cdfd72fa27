package io.monitorlab.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Set;

/**
 * Parses JSON as Python's {@code json.loads} accepts it. This class is thread-safe.
 *
 * <p>The tree is built from Jackson's streaming parser with {@link JsonNodeFactory}, not with an
 * {@code ObjectMapper}: the mapper's machinery is hundreds of classes and MBs of the agent's memory
 * (docs/BENCHMARKS.md).
 * The nodes are the same as {@code ObjectMapper.readTree} makes (ints, longs and big integers apart,
 * floats as doubles, a repeated key keeps its first place and its last value).
 */
public final class Json {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final Set<String> PYTHON_NON_NUMBERS = Set.of("NaN", "Infinity", "-Infinity");

  private Json() {}

  /** Parses one JSON document; the exception message is one line describing what is wrong. */
  public static JsonNode parse(String text) throws InvalidJsonException {
    try (JsonParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() == null) {
        throw new InvalidJsonException("not valid JSON: empty value");
      }
      JsonNode node = readValue(parser);
      if (parser.nextToken() != null) {
        throw new InvalidJsonException("not valid JSON: extra data after the value" + where(parser.currentTokenLocation()));
      }
      return node;
    } catch (JsonProcessingException e) {
      String why = e.getOriginalMessage().lines().findFirst().orElse("syntax error")
          .replaceAll(" ?\\(start marker at \\[Source:.*?]\\)", "")
          .replaceAll(" ?\\[Source:.*?]", "");
      throw new InvalidJsonException("not valid JSON: " + printable(why) + where(e.getLocation()));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: the parser reads a String
    }
  }

  /** The factory of nodes, for building values. */
  public static JsonNodeFactory nodes() {
    return NODES;
  }

  // Reads the value whose first token is the parser's current one, without recursion (the parser
  // allows 1,000 levels of nesting; the agent runs with small thread stacks).
  private static JsonNode readValue(JsonParser parser) throws IOException, InvalidJsonException {
    ArrayDeque<JsonNode> open = new ArrayDeque<>();
    for (JsonToken token = parser.currentToken(); ; token = parser.nextToken()) {
      JsonNode value;
      switch (token) {
        case FIELD_NAME:
          continue;
        case END_OBJECT:
        case END_ARRAY:
          JsonNode closed = open.pop();
          if (open.isEmpty()) {
            return closed;
          }
          continue;
        case START_OBJECT:
          value = NODES.objectNode();
          break;
        case START_ARRAY:
          value = NODES.arrayNode();
          break;
        default:
          value = scalar(parser, token);
      }
      JsonNode parent = open.peek();
      if (parent instanceof ObjectNode object) {
        object.set(parser.currentName(), value); // for a container: the name it is under
      } else if (parent instanceof ArrayNode array) {
        array.add(value);
      } else if (!value.isContainerNode()) {
        return value;
      }
      if (value.isContainerNode()) {
        open.push(value);
      }
    }
  }

  private static JsonNode scalar(JsonParser parser, JsonToken token) throws IOException, InvalidJsonException {
    return switch (token) {
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> NODES.numberNode(parser.getIntValue());
        case LONG -> NODES.numberNode(parser.getLongValue());
        default -> NODES.numberNode(parser.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> {
        // Python's json.loads knows only NaN, Infinity and -Infinity; Jackson also takes +Infinity, +INF, -INF.
        // (isNaN is also true for a number too large for a double, such as 1e400: Python takes those.)
        if (parser.isNaN() && isWord(parser.getText()) && !PYTHON_NON_NUMBERS.contains(parser.getText())) {
          throw new InvalidJsonException("not valid JSON: " + parser.getText() + " is not a number Python reads"
              + " (use NaN, Infinity or -Infinity)" + where(parser.currentTokenLocation()));
        }
        yield NODES.numberNode(parser.getDoubleValue());
      }
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new InvalidJsonException("not valid JSON: unexpected " + token + where(parser.currentTokenLocation()));
    };
  }

  private static boolean isWord(String numberText) {
    return !numberText.isEmpty() && Character.isLetter(numberText.charAt(numberText.length() - 1));
  }

  private static String where(JsonLocation location) {
    return location == null ? "" : " at line " + location.getLineNr() + " column " + location.getColumnNr();
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

  /** A value that is not JSON. */
  public static final class InvalidJsonException extends Exception {
    public InvalidJsonException(String message) {
      super(message);
    }
  }
}
