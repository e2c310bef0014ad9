package io.owin4j.middleware.diagnostics;

import io.owin4j.api.CancellationToken;
import java.util.ArrayList;
import java.util.List;

/** A token that fires when its own {@link #cancel()} is called or when a parent token fires. */
final class LinkedCancellation implements CancellationToken {
  private final List<Runnable> callbacks = new ArrayList<>();
  private final Registration parentRegistration;
  private boolean cancelled;

  LinkedCancellation(CancellationToken parent) {
    parentRegistration = parent.register(this::cancel);
  }

  /** Stops listening to the parent; call once the request is over. */
  void detach() {
    parentRegistration.close();
  }

  /** Fires the callbacks once, on the calling thread; later calls do nothing. */
  void cancel() {
    List<Runnable> toRun;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = new ArrayList<>(callbacks);
      callbacks.clear();
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
  public synchronized boolean isCancellationRequested() {
    return cancelled;
  }

  @Override
  public boolean canBeCancelled() {
    return true;
  }

  @Override
  public Registration register(Runnable callback) {
    synchronized (this) {
      if (!cancelled) {
        callbacks.add(callback);
        return () -> {
          synchronized (this) {
            callbacks.remove(callback);
          }
        };
      }
    }
    callback.run();
    return Registration.EMPTY;
  }

  @Override
  public String toString() {
    return "LinkedCancellation[cancelled=" + isCancellationRequested() + "]";
  }
}
