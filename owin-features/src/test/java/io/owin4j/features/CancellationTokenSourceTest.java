package io.owin4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.CancellationToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class CancellationTokenSourceTest {
  private final CancellationTokenSource source = new CancellationTokenSource();
  private final List<String> calls = new ArrayList<>();

  @Test
  void tokenIsNotCancelledAtFirst() {
    assertFalse(source.token().isCancellationRequested());
    assertFalse(source.isCancellationRequested());
    assertTrue(source.token().canBeCancelled());
  }

  @Test
  void cancelMarksTheTokenCancelled() {
    source.cancel();

    assertTrue(source.token().isCancellationRequested());
    assertThrows(CancellationException.class, source.token()::throwIfCancellationRequested);
  }

  @Test
  void cancelRunsCallbacksInRegistrationOrder() {
    source.token().register(() -> calls.add("first"));
    source.token().register(() -> calls.add("second"));

    source.cancel();

    assertEquals(List.of("first", "second"), calls);
  }

  @Test
  void cancelTwiceRunsCallbacksOnce() {
    source.token().register(() -> calls.add("callback"));

    source.cancel();
    source.cancel();

    assertEquals(List.of("callback"), calls);
  }

  @Test
  void closedRegistrationDoesNotRun() {
    CancellationToken.Registration registration = source.token().register(() -> calls.add("x"));

    registration.close();
    source.cancel();

    assertEquals(List.of(), calls);
  }

  @Test
  void closingRegistrationTwiceOrAfterCancelIsHarmless() {
    CancellationToken.Registration registration = source.token().register(() -> calls.add("x"));

    source.cancel();
    registration.close();
    registration.close();

    assertEquals(List.of("x"), calls);
  }

  @Test
  void registeringAfterCancelRunsAtOnce() {
    source.cancel();

    source.token().register(() -> calls.add("late"));

    assertEquals(List.of("late"), calls);
  }

  @Test
  void throwingCallbackDoesNotStopTheOthersAndIsRethrownWithOthersSuppressed() {
    RuntimeException first = new RuntimeException("first");
    IllegalStateException second = new IllegalStateException("second");
    source.token().register(() -> { throw first; });
    source.token().register(() -> calls.add("ran"));
    source.token().register(() -> { throw second; });

    RuntimeException thrown = assertThrows(RuntimeException.class, source::cancel);

    assertSame(first, thrown);
    assertEquals(List.of(second), List.of(thrown.getSuppressed()));
    assertEquals(List.of("ran"), calls);
  }

  @Test
  void callbackMayRegisterAnotherWhichRunsAtOnce() {
    source.token().register(
        () -> {
          calls.add("outer");
          source.token().register(() -> calls.add("inner"));
        });

    source.cancel();

    assertEquals(List.of("outer", "inner"), calls);
  }

  @Test
  void registerRejectsNull() {
    assertThrows(NullPointerException.class, () -> source.token().register(null));
  }
}
