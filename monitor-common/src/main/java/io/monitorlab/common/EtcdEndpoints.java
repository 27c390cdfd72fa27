package io.monitorlab.common;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where etcd is, resolved as the lab did: {@code --endpoints}, then {@code ETCD_ENDPOINTS}, then
 * {@code ETCD_HOST} + {@code ETCD_PORT}, then the in-cluster default. Immutable.
 *
 * <p>With {@link EtcdSecurity} it also says how to reach them: any TLS option makes every endpoint
 * {@code https://}, and an {@code https://} endpoint turns TLS on for all (with the JVM's trust store
 * when no {@code --cacert} is given).
 *
 * @param uris one {@code http://host:port} or {@code https://host:port} per member
 * @param source which setting they came from, for messages
 * @param security TLS and credentials
 */
public record EtcdEndpoints(List<URI> uris, String source, EtcdSecurity security) {
  public static final String LAB_DEFAULT = "etcd-0.etcd-service.etcd.svc.cluster.local:2379";
  public static final int DEFAULT_PORT = 2379;
  /** The environment variable with the endpoints, as the lab reads it. */
  public static final String VARIABLE = "ETCD_ENDPOINTS";
  private static final String HOST = "\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+";

  public EtcdEndpoints {
    if (uris.isEmpty()) {
      throw new IllegalArgumentException(source + ": no endpoint given: expected host:port[,host:port...]");
    }
    if (!security.tls() && uris.stream().anyMatch(u -> u.getScheme().equals("https"))) {
      security = security.withDefaultTls();
    }
    if (security.tls()) {
      uris = uris.stream().map(u -> URI.create("https://" + u.getRawAuthority())).toList();
    }
    uris = List.copyOf(uris);
  }

  public EtcdEndpoints(List<URI> uris, String source) {
    this(uris, source, EtcdSecurity.NONE);
  }

  /** The same endpoints reached with {@code security}. */
  public EtcdEndpoints with(EtcdSecurity security) {
    return new EtcdEndpoints(uris, source, security);
  }

  /** {@code https://host:port,...} (or http): the endpoints with their scheme, for messages about TLS. */
  public String urls() {
    return String.join(",", uris.stream().map(URI::toString).toList());
  }

  /** Whether connections use TLS. */
  public boolean tls() {
    return security.tls();
  }

  /**
   * Resolves the endpoints.
   *
   * @param option the {@code --endpoints} value, or null
   * @throws IllegalArgumentException with a one-line message naming the setting and the bad value
   */
  public static EtcdEndpoints resolve(String option, Map<String, String> env) {
    if (option != null) {
      return parse(option, "--endpoints");
    }
    String list = env.get(VARIABLE);
    if (list != null && !list.isBlank()) {
      return parse(list, VARIABLE);
    }
    String host = env.get("ETCD_HOST");
    if (host != null && !host.isBlank()) {
      String port = env.getOrDefault("ETCD_PORT", String.valueOf(DEFAULT_PORT));
      int p = port(port, "ETCD_PORT", port);
      if (!host.trim().matches(HOST)) {
        throw bad("ETCD_HOST", host, "expected a host name or IP address, without scheme or port");
      }
      return new EtcdEndpoints(List.of(uri("http", host.trim(), p, "ETCD_HOST", host)), "ETCD_HOST/ETCD_PORT");
    }
    return parse(LAB_DEFAULT, "default");
  }

  /** Parses a comma-separated list of {@code host:port} or {@code http://host:port}. */
  public static EtcdEndpoints parse(String list, String setting) {
    List<URI> uris = new ArrayList<>();
    for (String raw : list.split(",", -1)) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        throw new IllegalArgumentException(setting + ": empty endpoint in \"" + printable(list) + "\": expected host:port[,host:port...]");
      }
      uris.add(parseOne(entry, setting));
    }
    return new EtcdEndpoints(uris, setting);
  }

  /** {@code host:port,host:port}, as etcdctl's {@code --endpoints} takes it. */
  public String joined() {
    StringBuilder out = new StringBuilder();
    for (URI u : uris) {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(u.getHost()).append(':').append(u.getPort());
    }
    return out.toString();
  }

  private static URI parseOne(String entry, String setting) {
    String scheme = "http";
    String rest = entry;
    int sep = entry.indexOf("://");
    if (sep >= 0) {
      scheme = entry.substring(0, sep);
      rest = entry.substring(sep + 3);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw bad(setting, entry, "scheme must be http or https");
      }
    }
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    String host;
    String port;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw bad(setting, entry, "unclosed [ in IPv6 address");
      }
      host = rest.substring(0, close + 1);
      String after = rest.substring(close + 1);
      port = after.isEmpty() ? String.valueOf(DEFAULT_PORT) : after.startsWith(":") ? after.substring(1) : null;
    } else {
      int colon = rest.lastIndexOf(':');
      host = colon < 0 ? rest : rest.substring(0, colon);
      port = colon < 0 ? String.valueOf(DEFAULT_PORT) : rest.substring(colon + 1);
    }
    if (port == null || host.isEmpty() || !host.matches(HOST)) {
      throw bad(setting, entry, "expected host:port");
    }
    return uri(scheme, host, port(port, setting, entry), setting, entry);
  }

  private static int port(String port, String setting, String entry) {
    try {
      int p = Integer.parseInt(port.trim());
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw bad(setting, entry, "port must be a number from 1 to 65535");
  }

  private static URI uri(String scheme, String host, int port, String setting, String entry) {
    URI uri;
    try {
      uri = new URI(scheme + "://" + host + ":" + port);
    } catch (java.net.URISyntaxException e) {
      throw bad(setting, entry, "expected host:port");
    }
    if (uri.getHost() == null || uri.getPort() != port) {
      // java.net.URI keeps names such as my_host or -h only as a registry authority, without a host.
      throw bad(setting, entry, "host must be a DNS name (letters, digits, '-' and '.') or an IP address");
    }
    return uri;
  }

  private static IllegalArgumentException bad(String setting, String entry, String expected) {
    return new IllegalArgumentException(setting + ": invalid endpoint \"" + printable(entry) + "\": " + expected);
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.chars().forEach(c -> out.append(c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return out.toString();
  }

  @Override
  public String toString() {
    return joined();
  }
}
