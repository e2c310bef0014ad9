package io.owin4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ResponseStarterTest {
  private final ResponseStarter starter = new ResponseStarter();
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  @Test
  void hasNotStartedAtFirst() {
    assertFalse(starter.hasStarted());
    assertFalse(starter.isCompleted());
  }

  @Test
  void startRunsCallbacksLastRegisteredFirst() {
    starter.onStarting(() -> calls.add("first"));
    starter.onStarting(() -> calls.add("second"));

    starter.start();

    assertEquals(List.of("second", "first"), calls);
    assertTrue(starter.hasStarted());
  }

  @Test
  void startTwiceRunsCallbacksOnce() {
    starter.onStarting(() -> calls.add("callback"));

    starter.start();
    starter.start();

    assertEquals(List.of("callback"), calls);
  }

  @Test
  void responseIsNotStartedWhileCallbacksRun() {
    starter.onStarting(() -> calls.add("started=" + starter.hasStarted()));

    starter.start();

    assertEquals(List.of("started=false"), calls);
  }

  @Test
  void callbackRegisteredByACallbackAlsoRuns() {
    starter.onStarting(
        () -> {
          calls.add("outer");
          starter.onStarting(() -> calls.add("inner"));
        });

    starter.start();

    assertEquals(List.of("outer", "inner"), calls);
  }

  @Test
  void onStartedActionsRunAfterCallbacksInRegistrationOrder() {
    starter.onStarted(() -> calls.add("action 1, started=" + starter.hasStarted()));
    starter.onStarted(() -> calls.add("action 2"));
    starter.onStarting(() -> calls.add("callback"));

    starter.start();

    assertEquals(List.of("callback", "action 1, started=true", "action 2"), calls);
  }

  @Test
  void registeringAfterStartFails() {
    starter.start();

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> starter.onStarting(() -> {}));

    assertEquals("cannot register an on-starting callback: the response has started", e.getMessage());
  }

  @Test
  void registeringAnActionAfterStartFails() {
    starter.start();

    assertThrows(IllegalStateException.class, () -> starter.onStarted(() -> {}));
  }

  @Test
  void failingCallbackDoesNotStopTheOthersAndIsRethrown() {
    RuntimeException failure = new RuntimeException("boom");
    IllegalStateException other = new IllegalStateException("other");
    starter.onStarting(() -> calls.add("registered first"));
    starter.onStarting(() -> { throw other; });
    starter.onStarting(() -> { throw failure; });

    RuntimeException thrown = assertThrows(RuntimeException.class, starter::start);

    assertSame(failure, thrown);
    assertEquals(List.of(other), List.of(thrown.getSuppressed()));
    assertEquals(List.of("registered first"), calls);
  }

  @Test
  void failedStartLeavesTheResponseNotStartedForAnErrorResponse() {
    starter.onStarting(() -> { throw new IllegalStateException("boom"); });
    starter.onStarted(() -> calls.add("headers sent"));

    assertThrows(IllegalStateException.class, starter::start);
    boolean startedAfterFailure = starter.hasStarted();
    starter.start();

    assertFalse(startedAfterFailure);
    assertTrue(starter.hasStarted());
    assertEquals(List.of("headers sent"), calls);
  }

  @Test
  void startingFromACallbackFails() {
    AtomicReference<Throwable> inner = new AtomicReference<>();
    starter.onStarting(
        () -> {
          try {
            starter.start();
          } catch (IllegalStateException e) {
            inner.set(e);
          }
        });

    starter.start();

    assertEquals(
        "cannot start the response from an on-starting callback: it is starting already",
        inner.get().getMessage());
  }

  @Test
  @Timeout(10)
  void racingStartsRunCallbacksOnce() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch inCallback = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    starter.onStarting(
        () -> {
          runs.incrementAndGet();
          inCallback.countDown();
          await(release);
        });
    Thread first = new Thread(starter::start);
    first.start();
    inCallback.await();
    AtomicReference<Boolean> secondSawStarted = new AtomicReference<>();
    Thread second =
        new Thread(
            () -> {
              starter.start();
              secondSawStarted.set(starter.hasStarted());
            });
    second.start();

    release.countDown();
    first.join();
    second.join();

    assertEquals(1, runs.get());
    assertTrue(secondSawStarted.get());
  }

  @Test
  void completeRunsCallbacksLastRegisteredFirst() {
    starter.onCompleted(() -> calls.add("first"));
    starter.onCompleted(() -> calls.add("second"));

    starter.complete();
    starter.complete();

    assertEquals(List.of("second", "first"), calls);
    assertTrue(starter.isCompleted());
  }

  @Test
  void completeDoesNotStartTheResponse() {
    starter.complete();

    assertFalse(starter.hasStarted());
  }

  @Test
  void failingCompletionCallbackDoesNotStopTheOthers() {
    starter.onCompleted(() -> calls.add("ran"));
    starter.onCompleted(() -> { throw new IllegalStateException("boom"); });

    assertThrows(IllegalStateException.class, starter::complete);

    assertEquals(List.of("ran"), calls);
  }

  @Test
  void registeringACompletionCallbackAfterCompleteFails() {
    starter.complete();

    assertThrows(IllegalStateException.class, () -> starter.onCompleted(() -> {}));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
