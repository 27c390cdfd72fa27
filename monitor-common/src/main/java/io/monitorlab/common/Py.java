package io.monitorlab.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders JSON values the way the Python lab prints them: {@link #dumps} as {@code json.dumps}
 * (default separators, {@code ensure_ascii}) and {@link #repr} as {@code repr} of the decoded value.
 * This class is thread-safe.
 */
public final class Py {
  private Py() {}

  /** {@code json.dumps(value)} of the value Python's {@code json.loads} would have made. */
  public static String dumps(JsonNode value) {
    StringBuilder out = new StringBuilder(64);
    dumps(value, out);
    return out.toString();
  }

  /** {@code repr(value)} of the value Python's {@code json.loads} would have made. */
  public static String repr(JsonNode value) {
    StringBuilder out = new StringBuilder(64);
    repr(value, out);
    return out.toString();
  }

  /** {@code repr(list_of_strings)}, e.g. {@code ['a', 'b']}. */
  public static String repr(List<String> strings) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < strings.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      reprString(strings.get(i), out);
    }
    return out.append(']').toString();
  }

  /** {@code str(number)} as an f-string prints it: {@code 10} or {@code 2.5}. */
  public static String str(JsonNode number) {
    return number.isFloatingPointNumber() ? PyFloat.repr(number.doubleValue()) : number.asText();
  }

  /** {@code repr(x)} of a float. */
  public static String reprFloat(double x) {
    return PyFloat.repr(x);
  }

  private static void dumps(JsonNode v, StringBuilder out) {
    if (v.isObject()) {
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        dumpsString(e.getKey(), out);
        out.append(": ");
        dumps(e.getValue(), out);
        if (it.hasNext()) {
          out.append(", ");
        }
      }
      out.append('}');
    } else if (v.isArray()) {
      out.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        dumps(v.get(i), out);
      }
      out.append(']');
    } else if (v.isTextual()) {
      dumpsString(v.textValue(), out);
    } else if (v.isFloatingPointNumber()) {
      out.append(PyFloat.json(v.doubleValue()));
    } else if (v.isNumber() || v.isBoolean()) {
      out.append(v.asText());
    } else {
      out.append("null");
    }
  }

  private static void repr(JsonNode v, StringBuilder out) {
    if (v.isObject()) {
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        reprString(e.getKey(), out);
        out.append(": ");
        repr(e.getValue(), out);
        if (it.hasNext()) {
          out.append(", ");
        }
      }
      out.append('}');
    } else if (v.isArray()) {
      out.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        repr(v.get(i), out);
      }
      out.append(']');
    } else if (v.isTextual()) {
      reprString(v.textValue(), out);
    } else if (v.isFloatingPointNumber()) {
      out.append(PyFloat.repr(v.doubleValue()));
    } else if (v.isNumber()) {
      out.append(v.asText());
    } else if (v.isBoolean()) {
      out.append(v.booleanValue() ? "True" : "False");
    } else {
      out.append("None");
    }
  }

  static void dumpsString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  static void reprString(String s, StringBuilder out) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    out.append(quote);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        out.append('\\').append((char) cp);
      } else if (cp == '\t') {
        out.append("\\t");
      } else if (cp == '\n') {
        out.append("\\n");
      } else if (cp == '\r') {
        out.append("\\r");
      } else if (cp < 0x20 || cp == 0x7f) {
        out.append(String.format("\\x%02x", cp));
      } else if (cp < 0x7f || isPrintable(cp)) {
        out.appendCodePoint(cp);
      } else if (cp <= 0xff) {
        out.append(String.format("\\x%02x", cp));
      } else if (cp <= 0xffff) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.append(String.format("\\U%08x", cp));
      }
    }
    out.append(quote);
  }

  private static boolean isPrintable(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
          Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR -> false;
      default -> true;
    };
  }
}
