package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Endpoint resolution: {@code --endpoints}, {@code ETCD_ENDPOINTS}, {@code ETCD_HOST}+{@code ETCD_PORT}, the lab's default. */
@Timeout(10)
class EtcdEndpointsTest {
  private static final Map<String, String> ALL_ENV = Map.of(
      "ETCD_ENDPOINTS", "from-list:1111",
      "ETCD_HOST", "from-host",
      "ETCD_PORT", "2222");

  @Test
  void theOptionWinsOverEveryVariable() {
    EtcdEndpoints endpoints = EtcdEndpoints.resolve("from-option:3333", ALL_ENV);

    assertThat(endpoints.joined()).isEqualTo("from-option:3333");
    assertThat(endpoints.source()).isEqualTo("--endpoints");
  }

  @Test
  void etcdEndpointsWinsOverEtcdHostAndPort() {
    EtcdEndpoints endpoints = EtcdEndpoints.resolve(null, ALL_ENV);

    assertThat(endpoints.joined()).isEqualTo("from-list:1111");
    assertThat(endpoints.source()).isEqualTo("ETCD_ENDPOINTS");
  }

  @Test
  void etcdHostAndPortComeNext() {
    EtcdEndpoints endpoints = EtcdEndpoints.resolve(null, Map.of("ETCD_HOST", "from-host", "ETCD_PORT", "2222"));

    assertThat(endpoints.uris()).containsExactly(URI.create("http://from-host:2222"));
    assertThat(endpoints.source()).isEqualTo("ETCD_HOST/ETCD_PORT");
  }

  @Test
  void etcdHostAloneUsesPort2379() {
    assertThat(EtcdEndpoints.resolve(null, Map.of("ETCD_HOST", "localhost")).uris())
        .containsExactly(URI.create("http://localhost:2379"));
    assertThat(EtcdEndpoints.resolve(null, Map.of("ETCD_HOST", " 127.0.0.1 ")).joined()).isEqualTo("127.0.0.1:2379");
  }

  @Test
  void etcdPortAloneIsIgnoredAndTheLabDefaultIsUsed() {
    assertThat(EtcdEndpoints.resolve(null, Map.of("ETCD_PORT", "2222")).joined())
        .isEqualTo("etcd-0.etcd-service.etcd.svc.cluster.local:2379");
  }

  @Test
  void withNothingSetTheLabsInClusterDefaultIsUsed() {
    EtcdEndpoints endpoints = EtcdEndpoints.resolve(null, Map.of());

    assertThat(endpoints.uris()).containsExactly(URI.create("http://etcd-0.etcd-service.etcd.svc.cluster.local:2379"));
    assertThat(endpoints.joined()).isEqualTo(EtcdEndpoints.LAB_DEFAULT).isEqualTo("etcd-0.etcd-service.etcd.svc.cluster.local:2379");
    assertThat(endpoints.source()).isEqualTo("default");
    assertThat(endpoints).hasToString("etcd-0.etcd-service.etcd.svc.cluster.local:2379");
  }

  @Test
  void blankVariablesCountAsUnset() {
    Map<String, String> env = new HashMap<>();
    env.put("ETCD_ENDPOINTS", "  ");
    env.put("ETCD_HOST", "");

    assertThat(EtcdEndpoints.resolve(null, env).source()).isEqualTo("default");
    env.put("ETCD_HOST", "h");
    assertThat(EtcdEndpoints.resolve(null, env).joined()).isEqualTo("h:2379");
  }

  @Test
  void parsesACommaListInOrder() {
    EtcdEndpoints endpoints = EtcdEndpoints.parse("h:1,h:2, other.example:2379 ", "--endpoints");

    assertThat(endpoints.uris()).containsExactly(
        URI.create("http://h:1"), URI.create("http://h:2"), URI.create("http://other.example:2379"));
    assertThat(endpoints.joined()).isEqualTo("h:1,h:2,other.example:2379");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "h:2379                 | http://h:2379",
      "h                      | http://h:2379",
      "localhost              | http://localhost:2379",
      "http://h:2379          | http://h:2379",
      "http://h:2379/         | http://h:2379",
      "https://h:2379         | https://h:2379",
      "https://h              | https://h:2379",
      "10.0.0.7:12379         | http://10.0.0.7:12379",
      "[::1]:2379             | http://[::1]:2379",
      "[::1]                  | http://[::1]:2379",
      "http://[::1]:2380      | http://[::1]:2380",
      "[fe80::1:2]:1          | http://[fe80::1:2]:1",
      "h:65535                | http://h:65535",
      "h:1                    | http://h:1",
      "etcd-0.etcd-service.etcd.svc.cluster.local:2379 | http://etcd-0.etcd-service.etcd.svc.cluster.local:2379"})
  void parsesOneEndpointInTheFormsEtcdctlTakes(String entry, String uri) {
    EtcdEndpoints endpoints = EtcdEndpoints.parse(entry, "--endpoints");

    assertThat(endpoints.uris()).containsExactly(URI.create(uri));
    assertThat(endpoints.uris().get(0).getHost()).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"h:0", "h:99999", "h:65536", "h:-1", "h:x", "h:", ":2379", "", " ", "a,,b", "a,", ",a", "ftp://h:1",
      "HTTP//h:1", "unix:///tmp/etcd.sock", "http://", "h:2379/v3", "h:1:2", "a b:1", "h\n:1", "[::1", "[::1]x", "[zz]:1",
      "http://user@h:1", "h?x:1", "caf\u00e9:1", "h:1\nh:2", "h:1,\n,h:2"})
  void refusesABadEndpointNamingTheSettingOnOneLine(String value) {
    assertThatThrownBy(() -> EtcdEndpoints.parse(value, "ETCD_ENDPOINTS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ETCD_ENDPOINTS: ")
        .hasMessageContaining("\"")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
  }

  @Test
  void aBadPortMessageShowsTheEntryAndTheRange() {
    assertThatThrownBy(() -> EtcdEndpoints.resolve("h:1,h:99999", Map.of()))
        .hasMessage("--endpoints: invalid endpoint \"h:99999\": port must be a number from 1 to 65535");
    assertThatThrownBy(() -> EtcdEndpoints.resolve("a,,b", Map.of()))
        .hasMessage("--endpoints: empty endpoint in \"a,,b\": expected host:port[,host:port...]");
  }

  @Test
  void anEmptyOptionIsRefusedRatherThanFallingBack() {
    assertThatThrownBy(() -> EtcdEndpoints.resolve("", ALL_ENV))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--endpoints: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "65536", "-1", "2379x", "", "1e3"})
  void aBadEtcdPortIsNamedInTheMessage(String port) {
    assertThatThrownBy(() -> EtcdEndpoints.resolve(null, Map.of("ETCD_HOST", "h", "ETCD_PORT", port)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ETCD_PORT: ")
        .hasMessageContaining("\"" + port + "\"")
        .hasMessageContaining("1 to 65535")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aBadEtcdEndpointsIsNamedInTheMessage() {
    assertThatThrownBy(() -> EtcdEndpoints.resolve(null, Map.of("ETCD_ENDPOINTS", "h:1,h:x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ETCD_ENDPOINTS: invalid endpoint \"h:x\"");
  }

  // ETCD_HOST is a host name, as the lab passed it to etcd3.client(host=...): a scheme or a port
  // in it must be refused, not turned into a URI without a host.
  @ParameterizedTest
  @ValueSource(strings = {"a b", "h:2379", "http://h", "http://h:2379", "::1", "h/x", "h\nx"})
  void aBadEtcdHostIsNamedInTheMessage(String host) {
    assertThatThrownBy(() -> EtcdEndpoints.resolve(null, Map.of("ETCD_HOST", host)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ETCD_HOST: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  // java.net.URI keeps a host like "my_host" only as a registry authority (getHost() == null), which
  // jetcd cannot dial: such an entry must be refused with a message rather than kept half-parsed.
  @ParameterizedTest
  @ValueSource(strings = {"my_host:2379", "etcd_1:2379", "-h:1", "h-:1", "a..b:1", ".h:1"})
  void everyAcceptedEndpointHasAHostAndAPort(String entry) {
    EtcdEndpoints endpoints;
    try {
      endpoints = EtcdEndpoints.parse(entry, "--endpoints");
    } catch (IllegalArgumentException refused) {
      assertThat(refused).hasMessageStartingWith("--endpoints: ").hasMessageContaining(entry);
      return;
    }
    assertThat(endpoints.uris()).allSatisfy(u -> {
      assertThat(u.getHost()).isNotNull();
      assertThat(u.getPort()).isBetween(1, 65535);
    });
    assertThat(endpoints.joined()).doesNotContain("null").doesNotContain("-1");
  }

  @Test
  void anEmptyListIsRefused() {
    assertThatThrownBy(() -> new EtcdEndpoints(List.of(), "--endpoints"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--endpoints: no endpoint given");
  }

  @Test
  void theUriListCannotBeChanged() {
    EtcdEndpoints endpoints = EtcdEndpoints.parse("h:1,h:2", "--endpoints");

    assertThatThrownBy(() -> endpoints.uris().add(URI.create("http://x:1"))).isInstanceOf(UnsupportedOperationException.class);
  }
}
