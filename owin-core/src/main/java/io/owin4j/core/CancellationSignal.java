package io.owin4j.core;

import io.owin4j.api.CancellationToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A cancellation token that its owner cancels with {@link #cancel()}: the {@code
 * websocket.CallCancelled} and {@code opaque.CallCancelled} of a bridged upgrade.
 *
 * <p>Thread-safe, as {@link CancellationToken} requires.
 */
final class CancellationSignal implements CancellationToken {
  /** The callbacks still to run, in registration order; null once cancelled. */
  private @Nullable List<Runnable> callbacks = new ArrayList<>(2);

  private volatile boolean cancelled;

  @Override
  public boolean isCancellationRequested() {
    return cancelled;
  }

  @Override
  public boolean canBeCancelled() {
    return true;
  }

  @Override
  public Registration register(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    // A distinct entry per registration, so that closing one never removes another of the same
    // callback.
    Runnable entry = callback::run;
    synchronized (this) {
      List<Runnable> pending = callbacks;
      if (pending != null) {
        pending.add(entry);
        return () -> unregister(entry);
      }
    }
    callback.run();
    return Registration.EMPTY;
  }

  private synchronized void unregister(Runnable entry) {
    if (callbacks != null) {
      callbacks.remove(entry);
    }
  }

  /**
   * Cancels this token and runs the registered callbacks on this thread, in registration order.
   * Calling it again does nothing.
   *
   * @throws RuntimeException the first exception a callback threw, with the others suppressed, once
   *     every callback has run
   */
  void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      toRun = callbacks;
      if (toRun == null) {
        return;
      }
      callbacks = null;
      cancelled = true;
    }
    RuntimeException first = null;
    for (Runnable callback : toRun) {
      try {
        callback.run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return cancelled ? "CancellationSignal[cancelled]" : "CancellationSignal[not cancelled]";
  }
}
