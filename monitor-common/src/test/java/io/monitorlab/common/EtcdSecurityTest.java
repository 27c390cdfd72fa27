package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdSecurityTest {
  @TempDir Path dir;

  @Test
  void thePasswordIsTheFirstLineOfItsFileAndIsNeverPrinted() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "s3cret-value\nignored\n");
    EtcdSecurity s = EtcdSecurity.resolve(null, null, null, "op", file.toString(), Map.of());
    assertThat(s.user()).isEqualTo("op");
    assertThat(s.password()).isEqualTo("s3cret-value");
    assertThat(s.toString()).doesNotContain("s3cret").contains("(hidden)");
    assertThat(s.identity()).isEqualTo("user op");
  }

  @Test
  void theEnvironmentOfEtcdctlIsTheFallbackIncludingItsNameColonPasswordForm() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "from-file\n");
    EtcdSecurity s = EtcdSecurity.resolve(null, null, null, null, null,
        Map.of("ETCDCTL_USER", "op", "MONITOR_ETCD_PASSWORD_FILE", file.toString()));
    assertThat(s.password()).isEqualTo("from-file");
    EtcdSecurity colon = EtcdSecurity.resolve(null, null, null, null, null, Map.of("ETCDCTL_USER", "op:pw"));
    assertThat(colon.user()).isEqualTo("op");
    assertThat(colon.password()).isEqualTo("pw");
  }

  @Test
  void mistakesAreOneLineNamingTheSettingAndNeverThePassword() throws Exception {
    assertThatThrownBy(() -> EtcdSecurity.resolve(null, null, null, "op:hunter2", null, Map.of()))
        .hasMessageStartingWith("--user: give the user name only").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> EtcdSecurity.resolve(null, null, null, null, dir.resolve("pw").toString(), Map.of()))
        .hasMessageStartingWith("--password-file is set but --user (or ETCDCTL_USER) is not");
    assertThatThrownBy(() -> EtcdSecurity.resolve(null, null, null, "op", null, Map.of()))
        .hasMessageStartingWith("--user is set without a password");
    assertThatThrownBy(() -> EtcdSecurity.resolve(null, null, null, "op", dir.resolve("missing").toString(), Map.of()))
        .hasMessage("--password-file: " + dir.resolve("missing") + ": no such file");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> EtcdSecurity.resolve(null, null, null, "op", empty.toString(), Map.of()))
        .hasMessageContaining("the first line is empty");
  }

  @Test
  void httpsEndpointsTurnTlsOnAndTlsOptionsMakeEveryEndpointHttps() {
    EtcdEndpoints https = EtcdEndpoints.parse("https://a:2379,b:2380", "--endpoints");
    assertThat(https.tls()).isTrue();
    assertThat(https.urls()).isEqualTo("https://a:2379,https://b:2380");
    assertThat(https.joined()).isEqualTo("a:2379,b:2380");
    EtcdEndpoints plain = EtcdEndpoints.parse("a:2379", "--endpoints");
    assertThat(plain.tls()).isFalse();
    assertThat(plain.urls()).isEqualTo("http://a:2379");
  }

  @Test
  void aRefusedRequestNamesItsOperationAndKey() {
    PutRequest put = PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("/monitor/heartbeat/w2")).build();
    RangeRequest prefix = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("/monitor/"))
        .setRangeEnd(ByteString.copyFromUtf8("/monitor0")).build();
    assertThat(DeniedRequests.describe(put)).isEqualTo("put /monitor/heartbeat/w2");
    assertThat(DeniedRequests.describe(prefix)).isEqualTo("read range from /monitor/");
    assertThat(DeniedRequests.describe(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestPut(put)).build()))
        .isEqualTo("transaction: put /monitor/heartbeat/w2");
    assertThat(DeniedRequests.describe(ByteSequence.EMPTY)).isNull();
  }
}
