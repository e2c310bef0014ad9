package io.owin4j.examples;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Repeats an asynchronous step until it says stop, without blocking a thread between steps.
 *
 * <p>Chaining each step onto the previous one with {@code thenCompose} nests a stack frame per step
 * whenever steps complete at once (a host with frames already buffered), and a long conversation
 * would overflow the stack. This loop runs completed steps iteratively and only defers to a
 * callback when a step really is pending.
 */
final class AsyncLoop {
  private final Supplier<? extends CompletionStage<Boolean>> step;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  private AsyncLoop(Supplier<? extends CompletionStage<Boolean>> step) {
    this.step = step;
  }

  /**
   * Runs {@code step} repeatedly until its stage yields {@code false}.
   *
   * @param step starts one step; its stage yields true to go on and false to stop
   * @return completes when a step yields false, or fails with the first failure of a step
   */
  static CompletionStage<Void> repeat(Supplier<? extends CompletionStage<Boolean>> step) {
    AsyncLoop loop = new AsyncLoop(step);
    loop.run();
    return loop.done;
  }

  private void run() {
    boolean again;
    do {
      CompletableFuture<Boolean> current;
      try {
        current = step.get().toCompletableFuture();
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      if (!current.isDone()) {
        current.whenComplete(
            (goOn, failure) -> {
              if (proceed(goOn, failure)) {
                run();
              }
            });
        return;
      }
      again = current.handle(this::proceed).join();
    } while (again);
  }

  /** Completes the loop if this step ended it; returns true when another step should run. */
  private boolean proceed(@Nullable Boolean goOn, @Nullable Throwable failure) {
    if (failure != null) {
      done.completeExceptionally(failure);
      return false;
    }
    if (goOn == null) {
      done.completeExceptionally(new NullPointerException("a loop step yielded null"));
      return false;
    }
    if (!goOn) {
      done.complete(null);
    }
    return goOn;
  }
}
