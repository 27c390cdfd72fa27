package io.monitorlab.bench;

import java.util.Optional;

/**
 * Turns the lines of a Server-Sent Events stream into events, as the WHATWG EventSource parser does: fields
 * {@code event} and {@code data} (several data lines joined by a line feed; one space after the colon is not
 * part of the value), comment lines ({@code :...}) and other fields ignored, an event dispatched at a blank
 * line when it has data, its type {@code message} when no {@code event} field named one. Not thread-safe.
 */
final class SseParser {
  /** One dispatched event. */
  record Event(String type, String data) {}

  private String type = "";
  private StringBuilder data;

  /** Takes one line (without its line ending); the event it completes, if any. */
  Optional<Event> line(String line) {
    if (line.isEmpty()) {
      Optional<Event> out = data == null ? Optional.empty()
          : Optional.of(new Event(type.isEmpty() ? "message" : type, data.toString()));
      type = "";
      data = null;
      return out;
    }
    if (line.startsWith(":")) {
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> type = value;
      case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      default -> { }
    }
    return Optional.empty();
  }
}
