package io.owin4j.testkit.internal;

/**
 * Carries the application's own failure through the testkit's futures, so it is told apart from a
 * failure of the connection: {@link Waiting} throws the cause itself.
 */
public final class ApplicationFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}, the application's failure, without a stack trace of its own. */
  public ApplicationFailure(Throwable cause) {
    super("the application failed", Failures.unwrap(cause), false, false);
  }
}
