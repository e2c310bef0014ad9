package io.owin4j.testkit.internal;

import io.owin4j.testkit.TestTimeoutException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a future on behalf of a test and turns every outcome into what the test sees. */
public final class Waiting {
  private Waiting() {}

  /**
   * Waits up to {@code timeout} for {@code future}.
   *
   * @param what what is awaited, for messages, such as {@code "the response to GET /"}
   * @throws TestTimeoutException after cancelling the future when it did not complete in time
   * @throws UncheckedIOException when it failed with an {@link IOException}, or the wait was
   *     interrupted (the interrupt flag is set again)
   * @throws RuntimeException the future's other failures, as {@link #rethrow}
   */
  public static <T> T await(Future<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new TestTimeoutException(what + " did not arrive within " + timeout);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(
          new InterruptedIOException("interrupted while waiting for " + what));
    } catch (ExecutionException e) {
      throw rethrow(e.getCause(), what);
    } catch (CancellationException e) {
      throw new IllegalStateException(what + " was cancelled", e);
    }
  }

  /**
   * Returns the exception to throw for a failure that {@code what} ended with: the application's
   * own failure (carried by {@link ApplicationFailure}) as {@link Failures#unchecked} gives it, an
   * {@link IOException} of the connection inside an {@link UncheckedIOException}.
   */
  public static RuntimeException rethrow(Throwable failure, String what) {
    Throwable cause = Failures.unwrap(failure);
    if (cause instanceof ApplicationFailure application) {
      return Failures.unchecked(application.getCause());
    }
    if (cause instanceof IOException e) {
      return new UncheckedIOException(what + " failed: " + e.getMessage(), e);
    }
    return Failures.unchecked(cause);
  }
}
