package io.monitorlab.server.web;

import io.monitorlab.common.cli.Setting;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The monitor's HTTP address, {@code --http [HOST:]PORT} / {@code MONITOR_HTTP}: {@code 9780},
 * {@code 0.0.0.0:9780}, {@code [::1]:9780}; port 0 takes any free port; {@code off} disables HTTP.
 * This class is thread-safe.
 */
public final class HttpAddress {
  public static final String DEFAULT = "127.0.0.1:9780";
  private static final String EXPECTED = "[HOST:]PORT with a port from 0 to 65535 (e.g. 127.0.0.1:9780, 0.0.0.0:9780, [::1]:9780), or off";

  private HttpAddress() {}

  /** The address to listen on, or empty for {@code off}; a bad value is one line naming the setting. */
  public static Optional<InetSocketAddress> parse(Setting setting) {
    String text = setting.orElse(DEFAULT).trim();
    if (text.equalsIgnoreCase("off")) {
      return Optional.empty();
    }
    String host = "127.0.0.1";
    String port = text;
    if (text.startsWith("[")) {
      int close = text.indexOf("]:");
      if (close < 0) {
        throw setting.invalid(EXPECTED);
      }
      host = text.substring(1, close);
      port = text.substring(close + 2);
    } else if (text.contains(":")) {
      int colon = text.lastIndexOf(':');
      if (text.indexOf(':') != colon) {
        throw setting.invalid(EXPECTED);
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
    }
    int number;
    try {
      number = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw setting.invalid(EXPECTED);
    }
    if (number < 0 || number > 65535 || host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
      throw setting.invalid(EXPECTED);
    }
    InetSocketAddress address = new InetSocketAddress(host, number);
    if (address.isUnresolved()) {
      throw new IllegalArgumentException(setting.source() + ": cannot resolve host \"" + host + "\" of \"" + text
          + "\": expected a local address or host name to listen on");
    }
    return Optional.of(address);
  }
}
