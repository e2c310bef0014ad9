package io.owin4j.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class CancellationTokenTest {
  @Test
  void noneIsNeverCancelledAndCannotBe() {
    assertFalse(CancellationToken.NONE.isCancellationRequested());
    assertFalse(CancellationToken.NONE.canBeCancelled());
    assertDoesNotThrow(CancellationToken.NONE::throwIfCancellationRequested);
  }

  @Test
  void registeringOnNoneNeverRunsTheCallbackAndClosesHarmlessly() {
    CancellationToken.Registration registration =
        CancellationToken.NONE.register(
            () -> {
              throw new AssertionError("must not run");
            });
    registration.close();
    registration.close();
  }

  @Test
  void registeringANullCallbackFails() {
    assertThrows(NullPointerException.class, () -> CancellationToken.NONE.register(null));
  }

  @Test
  void throwIfCancellationRequestedThrowsOnceCancelled() {
    CancellationToken cancelled =
        new CancellationToken() {
          @Override
          public boolean isCancellationRequested() {
            return true;
          }

          @Override
          public boolean canBeCancelled() {
            return true;
          }

          @Override
          public Registration register(Runnable callback) {
            callback.run();
            return Registration.EMPTY;
          }
        };
    assertThrows(CancellationException.class, cancelled::throwIfCancellationRequested);
  }
}
