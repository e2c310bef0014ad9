package io.owin4j.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The gate a response passes when it starts (status and headers go out) and when it completes:
 * one per request, shared by the response feature, the body stream and the host.
 *
 * <h2>Starting</h2>
 *
 * {@link #start()} runs the {@link #onStarting} callbacks exactly once, last registered first
 * (callbacks registered while they run also run), then marks the response started and runs the
 * {@link #onStarted} actions in registration order. Hosts register an {@code onStarted} action that
 * sends the status and headers; {@link DefaultResponseFeature} registers one that freezes them.
 *
 * <p>If on-starting callbacks throw, the others still run; then the first failure is rethrown from
 * {@code start} with the others suppressed, and the response stays <em>not started</em>, so the host
 * can still answer with an error status. The callbacks that ran are not run again: a later {@code
 * start} finds none left, marks the response started and runs the actions.
 *
 * <h2>Completing</h2>
 *
 * The host calls {@link #complete()} once the exchange ended (after starting the response if the
 * application never did): from then on the body stream refuses writes, and the {@link #onCompleted}
 * callbacks run, last registered first, each even if another throws.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: racing {@code start} calls run the callbacks once, and the loser returns after the
 * winner finished. Starting from inside an on-starting callback fails with {@link
 * IllegalStateException}. It synchronizes on itself (one object fewer per request than a lock of
 * its own); hosts must not hold its monitor.
 */
public final class ResponseStarter {
  private static final int NOT_STARTED = 0;
  private static final int STARTING = 1;
  private static final int STARTED = 2;

  private volatile int state = NOT_STARTED;
  private volatile boolean completed;
  private @Nullable List<Runnable> onStarting;
  private @Nullable List<Runnable> onStarted;
  private @Nullable List<Runnable> onCompleted;

  /** Creates the gate of a response that has not started. */
  public ResponseStarter() {}

  /**
   * Registers {@code callback} to run when the response starts, before the status and headers are
   * fixed; the last registered runs first.
   *
   * @throws IllegalStateException if the response has started
   */
  public void onStarting(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    synchronized (this) {
      if (state == STARTED) {
        throw new IllegalStateException(
            "cannot register an on-starting callback: the response has started");
      }
      if (onStarting == null) {
        onStarting = new ArrayList<>(4);
      }
      onStarting.add(callback);
    }
  }

  /**
   * Registers a host action to run right after the response is marked started, in registration
   * order, such as sending the status and headers.
   *
   * @throws IllegalStateException if the response has started
   */
  public void onStarted(Runnable action) {
    Objects.requireNonNull(action, "action");
    synchronized (this) {
      if (state == STARTED) {
        throw new IllegalStateException(
            "cannot register an on-started action: the response has started");
      }
      if (onStarted == null) {
        onStarted = new ArrayList<>(2);
      }
      onStarted.add(action);
    }
  }

  /** Returns true once the response started; false while the on-starting callbacks run. */
  public boolean hasStarted() {
    return state == STARTED;
  }

  /**
   * Starts the response, unless it has started: runs the on-starting callbacks, marks the response
   * started, runs the on-started actions.
   *
   * @throws IllegalStateException if called from an on-starting callback
   * @throws RuntimeException the first failure of an on-starting callback (the response then stays
   *     not started) or of an on-started action (the response is started), with the others
   *     suppressed
   */
  public void start() {
    if (state == STARTED) {
      return;
    }
    synchronized (this) {
      if (state == STARTED) {
        return;
      }
      if (state == STARTING) {
        throw new IllegalStateException(
            "cannot start the response from an on-starting callback: it is starting already");
      }
      state = STARTING;
      Throwable failure = null;
      List<Runnable> callbacks = onStarting;
      if (callbacks != null) {
        while (!callbacks.isEmpty()) {
          failure = Callbacks.run(callbacks.remove(callbacks.size() - 1), failure);
        }
      }
      if (failure != null) {
        state = NOT_STARTED;
        Callbacks.rethrow(failure);
      }
      state = STARTED;
      onStarting = null;
      List<Runnable> actions = onStarted;
      onStarted = null;
      if (actions != null) {
        Callbacks.runAll(actions);
      }
    }
  }

  /**
   * Registers {@code callback} to run when the host completes the response; the last registered
   * runs first.
   *
   * @throws IllegalStateException if the response has completed
   */
  public void onCompleted(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    synchronized (this) {
      if (completed) {
        throw new IllegalStateException(
            "cannot register an on-completed callback: the response has completed");
      }
      if (onCompleted == null) {
        onCompleted = new ArrayList<>(2);
      }
      onCompleted.add(callback);
    }
  }

  /** Returns true once {@link #complete()} was called. */
  public boolean isCompleted() {
    return completed;
  }

  /**
   * Marks the response completed, so body writes fail from now on, and runs the on-completed
   * callbacks, last registered first. Calling it again does nothing. Does not start the response.
   *
   * @throws RuntimeException the first failure of a callback, with the others suppressed, after all
   *     ran
   */
  public void complete() {
    List<Runnable> callbacks;
    synchronized (this) {
      if (completed) {
        return;
      }
      completed = true;
      callbacks = onCompleted;
      onCompleted = null;
    }
    if (callbacks != null) {
      Throwable failure = null;
      for (int i = callbacks.size() - 1; i >= 0; i--) {
        failure = Callbacks.run(callbacks.get(i), failure);
      }
      Callbacks.rethrow(failure);
    }
  }

  /** {@link #start()} for stream callers: an {@link UncheckedIOException} arrives unwrapped. */
  void startForIo() throws IOException {
    try {
      start();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public String toString() {
    String name =
        switch (state) {
          case NOT_STARTED -> "not started";
          case STARTING -> "starting";
          default -> "started";
        };
    return "ResponseStarter{" + name + (completed ? ", completed}" : "}");
  }
}
