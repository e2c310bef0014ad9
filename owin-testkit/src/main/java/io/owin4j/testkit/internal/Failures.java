package io.owin4j.testkit.internal;

import io.owin4j.core.host.ExchangeLifecycle;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/** How the testkit hands a failure that happened elsewhere (in the application) to the test. */
public final class Failures {
  private Failures() {}

  /** Strips the wrappers that stages and futures put around a failure. */
  public static Throwable unwrap(Throwable failure) {
    return ExchangeLifecycle.unwrap(failure);
  }

  /**
   * Returns {@code failure} as an unchecked exception to throw: a runtime exception as it is, a
   * checked one inside a {@link CompletionException}; an {@link Error} is thrown at once.
   */
  public static RuntimeException unchecked(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RuntimeException e) {
      return e;
    }
    if (cause instanceof Error e) {
      throw e;
    }
    return new CompletionException(cause);
  }

  /**
   * Returns {@code failure} as an {@link IOException} to throw from a stream when it is one, and
   * otherwise throws it unchecked as {@link #unchecked} does.
   */
  public static IOException asIoOrUnchecked(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof IOException e) {
      return e;
    }
    throw unchecked(cause);
  }
}
