package io.monitorlab.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class ContactTest {
  private static final long S = 1_000_000_000L;
  private final Contact contact = new Contact(Duration.ofSeconds(3), 0);

  @Test
  void isNotLostWithinTheBound() {
    assertThat(contact.check(3 * S)).isEqualTo(Contact.Change.NONE);
    assertThat(contact.isLost()).isFalse();
  }

  @Test
  void isLostOnceAfterTheBoundAndRestoredOnceByTheNextAnswer() {
    assertThat(contact.check(3 * S + 1)).isEqualTo(Contact.Change.LOST);
    assertThat(contact.check(10 * S)).isEqualTo(Contact.Change.NONE);
    assertThat(contact.isLost()).isTrue();
    assertThat(contact.silence(10 * S)).isEqualTo(Duration.ofSeconds(10));
    assertThat(contact.heard(11 * S)).isEqualTo(Contact.Change.RESTORED);
    assertThat(contact.heard(12 * S)).isEqualTo(Contact.Change.NONE);
    assertThat(contact.isLost()).isFalse();
  }

  @Test
  void answersKeepItAlive() {
    for (long t = 1; t <= 20; t++) {
      assertThat(contact.heard(t * S)).isEqualTo(Contact.Change.NONE);
      assertThat(contact.check(t * S + 2 * S)).isEqualTo(Contact.Change.NONE);
    }
  }
}
