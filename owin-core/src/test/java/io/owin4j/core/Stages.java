package io.owin4j.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Assertions on stages that tests expect to be complete already. */
final class Stages {
  private Stages() {}

  /** Asserts that {@code stage} completed normally. */
  static void assertSucceeded(CompletionStage<?> stage) {
    assertTrue(stage.toCompletableFuture().isDone(), "stage is not complete");
    stage.toCompletableFuture().join();
  }

  /**
   * Asserts that {@code stage} failed and returns its failure, unwrapped from CompletionException.
   */
  static Throwable failure(CompletionStage<?> stage) {
    assertTrue(stage.toCompletableFuture().isDone(), "stage is not complete");
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("stage completed normally, a failure was expected");
  }
}
