package io.owin4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CancellationSignalTest {
  private final CancellationSignal signal = new CancellationSignal();

  @Test
  void isNotCancelledUntilCancelCalled() {
    assertFalse(signal.isCancellationRequested());
    signal.cancel();
    assertTrue(signal.isCancellationRequested());
  }

  @Test
  void cancelRunsCallbacksInRegistrationOrder() {
    List<String> ran = new ArrayList<>();
    signal.register(() -> ran.add("first"));
    signal.register(() -> ran.add("second"));

    signal.cancel();

    assertEquals(List.of("first", "second"), ran);
  }

  @Test
  void cancelRunsEachCallbackOnceWhenCalledAgain() {
    List<String> ran = new ArrayList<>();
    signal.register(() -> ran.add("callback"));

    signal.cancel();
    signal.cancel();

    assertEquals(List.of("callback"), ran);
  }

  @Test
  void callbackRegisteredAfterCancelRunsAtOnce() {
    signal.cancel();
    List<String> ran = new ArrayList<>();

    signal.register(() -> ran.add("late"));

    assertEquals(List.of("late"), ran);
  }

  @Test
  void closedRegistrationDoesNotRun() {
    List<String> ran = new ArrayList<>();
    Runnable callback = () -> ran.add("callback");
    signal.register(callback).close();
    signal.register(callback);

    signal.cancel();

    assertEquals(List.of("callback"), ran);
  }

  @Test
  void throwingCallbackDoesNotStopOthersAndIsRethrown() {
    IllegalStateException failure = new IllegalStateException("callback failed");
    List<String> ran = new ArrayList<>();
    signal.register(
        () -> {
          throw failure;
        });
    signal.register(() -> ran.add("second"));

    IllegalStateException thrown = assertThrows(IllegalStateException.class, signal::cancel);

    assertSame(failure, thrown);
    assertEquals(List.of("second"), ran);
  }
}
