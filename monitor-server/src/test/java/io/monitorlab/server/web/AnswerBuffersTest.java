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
  void anotherAnswerWaitsUntilTheBufferIsGivenBack() throws Exception {
    AnswerBuffers buffers = new AnswerBuffers();
    AnswerBuffers.Buffer first = buffers.take();
    CompletableFuture<AnswerBuffers.Buffer> second = CompletableFuture.supplyAsync(() -> {
      try {
        return buffers.take();
      } catch (java.io.InterruptedIOException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(catchTimeout(second)).isTrue();

    buffers.give(first);
    assertThat(second.get(5, TimeUnit.SECONDS)).isSameAs(first);
  }

  @Test
  void roomReservedAtOnceIsKeptForTheNextAnswer() throws Exception {
    AnswerBuffers buffers = new AnswerBuffers();
    AnswerBuffers.Buffer b = buffers.take();
    b.write('{');
    b.reserve(1_000_000);
    b.write(new byte[1_000_000], 0, 1_000_000);
    assertThat(b.length()).isEqualTo(1_000_001);
    buffers.give(b);

    AnswerBuffers.Buffer again = buffers.take();
    again.reserve(1_000_001);
    again.write(new byte[1_000_001], 0, 1_000_001);
    assertThat(again).isSameAs(b);
    assertThat(again.length()).isEqualTo(1_000_001);
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
