package io.owin4j.api;

import java.util.concurrent.CancellationException;

/**
 * Tells whether an operation should stop, and calls back when it should.
 *
 * <p>A token is cancelled at most once and stays cancelled. Tokens are created by a source owned by
 * whoever may cancel (the host, for {@code owin.CallCancelled}); code that receives a token can only
 * observe it.
 *
 * <h2>Threading</h2>
 *
 * All methods are thread-safe. Callbacks run on the thread that cancels, in registration order; a
 * callback registered after cancellation runs at once on the registering thread. A callback that
 * throws does not stop the others from running.
 */
public interface CancellationToken {
  /** A token that is never cancelled. Registering on it does nothing. */
  CancellationToken NONE = NeverCancelled.INSTANCE;

  /** Returns true once cancellation has been requested. */
  boolean isCancellationRequested();

  /** Returns false when this token can never be cancelled (such as {@link #NONE}). */
  boolean canBeCancelled();

  /**
   * Registers {@code callback} to run when this token is cancelled.
   *
   * @param callback runs once, on cancellation; at once if the token is already cancelled
   * @return a registration whose {@link Registration#close()} removes the callback; closing it
   *     again, or after the callback ran, does nothing
   */
  Registration register(Runnable callback);

  /**
   * Throws {@link CancellationException} if cancellation has been requested.
   *
   * @throws CancellationException if this token is cancelled
   */
  default void throwIfCancellationRequested() {
    if (isCancellationRequested()) {
      throw new CancellationException("the operation was cancelled");
    }
  }

  /** A callback registration; closing it unregisters the callback. Idempotent. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    /** A registration that does nothing when closed. */
    Registration EMPTY = () -> {};

    /** Unregisters the callback; does nothing if it already ran or was already removed. */
    @Override
    void close();
  }
}
