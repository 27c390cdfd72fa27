package io.monitorlab.bench;

import io.monitorlab.common.EtcdEndpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * etcd's plain-HTTP endpoints on the client port: {@code /version} and the Prometheus
 * {@code /metrics}. One bounded request each; a failure is an empty answer, never an exception,
 * because these figures are extras. Thread-safe.
 */
final class EtcdHttp {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final EtcdEndpoints endpoints;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  EtcdHttp(EtcdEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  /** The body of {@code GET <member>/<path>} for each member that answered, keyed by host:port. */
  Map<String, String> getAll(String path) throws InterruptedException {
    Map<String, String> out = new LinkedHashMap<>();
    for (URI member : endpoints.uris()) {
      get(member, path).ifPresent(body -> out.put(member.getHost() + ":" + member.getPort(), body));
    }
    return out;
  }

  /** etcd's {@code /version} answer of the first member that answers, e.g. {@code {"etcdserver":"3.4.23",...}}. */
  Optional<String> version() throws InterruptedException {
    return getAll("version").values().stream().findFirst();
  }

  private Optional<String> get(URI member, String path) throws InterruptedException {
    try {
      HttpRequest req = HttpRequest.newBuilder(member.resolve("/" + path)).timeout(TIMEOUT).GET().build();
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
