package io.monitorlab.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AnswerBuffersTest {
  @Test
  void aBufferGrowsKeepsWhatWasWrittenAndIsEmptyWhenTakenAgain() throws Exception {
    AnswerBuffers buffers = new AnswerBuffers();
    AnswerBuffers.Buffer b = buffers.take();
    byte[] big = new byte[200_000];
    big[199_999] = 7;
    b.write('x');
    b.write(big, 0, big.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.sendTo(out);
    assertThat(out.toByteArray()).hasSize(200_001).startsWith((byte) 'x').endsWith((byte) 7);
    assertThatThrownBy(() -> b.truncate(200_002)).isInstanceOf(IllegalArgumentException.class);

    buffers.give(b);
    AnswerBuffers.Buffer again = buffers.take();
    assertThat(again).isSameAs(b);
    assertThat(again.length()).isZero();
  }

  @Test
  @Timeout(10)
  void aThirdAnswerWaitsUntilABufferIsGivenBack() throws Exception {
    AnswerBuffers buffers = new AnswerBuffers();
    AnswerBuffers.Buffer first = buffers.take();
    buffers.take();
    CompletableFuture<AnswerBuffers.Buffer> third = CompletableFuture.supplyAsync(() -> {
      try {
        return buffers.take();
      } catch (java.io.InterruptedIOException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(third).isNotDone();
    assertThat(catchTimeout(third)).isTrue();

    buffers.give(first);
    assertThat(third.get(5, TimeUnit.SECONDS)).isSameAs(first);
  }

  private static boolean catchTimeout(CompletableFuture<?> f) throws Exception {
    try {
      f.get(200, TimeUnit.MILLISECONDS);
      return false;
    } catch (java.util.concurrent.TimeoutException e) {
      return true;
    }
  }
}
