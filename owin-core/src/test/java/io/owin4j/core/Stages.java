package io.owin4j.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;

/** Assertions on completion stages that are expected to be done already. */
final class Stages {
  private Stages() {}

  static void assertSucceeded(CompletionStage<?> stage) {
    CompletableFuture<?> future = stage.toCompletableFuture();
    assertTrue(future.isDone(), "the stage must be complete");
    // join rethrows the stage's own failure, which says more than a bare assertion would
    future.join();
  }

  static void assertPending(CompletionStage<?> stage) {
    assertFalse(stage.toCompletableFuture().isDone(), "the stage must still be pending");
  }

  /** Returns the failure of a stage that must have failed, unwrapped. */
  static Throwable failureOf(CompletionStage<?> stage) {
    CompletableFuture<?> future = stage.toCompletableFuture();
    assertTrue(future.isCompletedExceptionally(), "the stage must have failed");
    Throwable failure = future.handle((ignored, thrown) -> thrown).join();
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
