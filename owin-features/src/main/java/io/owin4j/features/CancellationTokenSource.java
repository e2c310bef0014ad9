package io.owin4j.features;

import io.owin4j.api.CancellationToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Owns a {@link CancellationToken} and cancels it: hosts make one per request for {@code
 * owin.CallCancelled}.
 *
 * <p>{@link #cancel()} runs the registered callbacks once, on the cancelling thread, in
 * registration order. Every callback runs even when an earlier one throws; afterwards the first
 * failure is rethrown to the caller of {@code cancel} with the others attached as suppressed, so no
 * failure is lost. A callback registered after cancellation runs at once on the registering thread,
 * and its failure propagates from {@code register}.
 *
 * <h2>Threading</h2>
 *
 * All methods are thread-safe. Callbacks run outside the internal lock, so a callback may register
 * or unregister other callbacks.
 */
public final class CancellationTokenSource {
  private final Object lock = new Object();
  private final Token token = new Token();
  private volatile boolean cancelled;
  // Null once cancellation took the list; guarded by lock.
  private List<Node> nodes = new ArrayList<>(2);

  /** Creates a source whose token is not cancelled. */
  public CancellationTokenSource() {}

  /** The token this source cancels; always the same instance. */
  public CancellationToken token() {
    return token;
  }

  /** Returns true once {@link #cancel()} was called. */
  public boolean isCancellationRequested() {
    return cancelled;
  }

  /**
   * Cancels the token and runs its callbacks; calling it again does nothing.
   *
   * @throws RuntimeException the first failure of a callback, with the others suppressed, after
   *     every callback ran
   */
  public void cancel() {
    List<Node> toRun;
    synchronized (lock) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toRun = nodes;
      nodes = List.of();
    }
    Throwable failure = null;
    for (Node node : toRun) {
      Runnable callback = node.take();
      if (callback != null) {
        failure = Callbacks.run(callback, failure);
      }
    }
    Callbacks.rethrow(failure);
  }

  @Override
  public String toString() {
    return "CancellationTokenSource{cancelled=" + cancelled + "}";
  }

  private final class Token implements CancellationToken {
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
      synchronized (lock) {
        if (!cancelled) {
          Node node = new Node(callback);
          nodes.add(node);
          return node;
        }
      }
      callback.run();
      return Registration.EMPTY;
    }

    @Override
    public String toString() {
      return "CancellationToken{cancelled=" + cancelled + "}";
    }
  }

  /** One registration: closing it before cancellation removes the callback. */
  private final class Node implements CancellationToken.Registration {
    private @Nullable Runnable callback;

    Node(Runnable callback) {
      this.callback = callback;
    }

    /** Takes the callback for running; null if it was unregistered first. */
    @Nullable Runnable take() {
      synchronized (lock) {
        Runnable taken = callback;
        callback = null;
        return taken;
      }
    }

    @Override
    public void close() {
      synchronized (lock) {
        if (callback != null) {
          callback = null;
          if (!cancelled) {
            nodes.remove(this);
          }
        }
      }
    }
  }
}
