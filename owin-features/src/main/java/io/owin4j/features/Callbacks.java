package io.owin4j.features;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Runs lists of callbacks so that one failing callback never hides another. */
final class Callbacks {
  private Callbacks() {}

  /**
   * Runs {@code callback}, and returns the failure to report: {@code first} if there already was
   * one (the new failure is added to it as suppressed), else the new failure.
   */
  static @Nullable Throwable run(Runnable callback, @Nullable Throwable first) {
    try {
      callback.run();
      return first;
    } catch (Throwable t) {
      if (first == null) {
        return t;
      }
      if (first != t) {
        first.addSuppressed(t);
      }
      return first;
    }
  }

  /** Runs every callback in list order, then rethrows the first failure with the others suppressed. */
  static void runAll(List<Runnable> callbacks) {
    Throwable failure = null;
    for (Runnable callback : callbacks) {
      failure = run(callback, failure);
    }
    rethrow(failure);
  }

  /** Throws {@code failure} unchanged if it is unchecked, else wrapped; does nothing for null. */
  static void rethrow(@Nullable Throwable failure) {
    if (failure == null) {
      return;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    // Runnable cannot throw checked exceptions, but sneaky throws exist; never drop them.
    throw new IllegalStateException("a callback failed", failure);
  }
}
