package io.owin4j.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests a host is running, so a test can be failed when one never finished: the leak gate.
 *
 * <p>Each request is {@linkplain #open opened} when it starts and {@linkplain Running#close closed}
 * when its stage completed. Opening records where the request was made, so a leak report points at
 * the line of the test that sent it.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe.
 */
public final class ExchangeRegistry {
  private final Set<Running> running = ConcurrentHashMap.newKeySet();
  private final Object idle = new Object();

  /** Creates an empty registry. */
  public ExchangeRegistry() {}

  /**
   * Records that a request started.
   *
   * @param description names the request in reports, such as {@code GET /items (request 1f-3)}
   * @param cancel cancels the request when the host shuts down
   */
  public Running open(String description, Runnable cancel) {
    Running entry = new Running(description, cancel);
    running.add(entry);
    return entry;
  }

  /**
   * Waits up to {@code grace} until no request runs.
   *
   * @throws AssertionError naming every request still running, each with where it was made;
   *     those requests are then cancelled and forgotten, so only this call reports them
   */
  public void assertIdle(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (idle) {
      long remaining;
      while (!running.isEmpty() && (remaining = deadline - System.nanoTime()) > 0) {
        try {
          idle.wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    List<Running> left = new ArrayList<>(running);
    if (left.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder()
            .append(left.size())
            .append(left.size() == 1 ? " request is" : " requests are")
            .append(" still running ")
            .append(grace)
            .append(" after the test; its stage never completed (read or close each response,")
            .append(" close each WebSocket, and let the application finish):");
    for (Running entry : left) {
      message.append("\n  ").append(entry.description);
    }
    AssertionError error = new AssertionError(message.toString());
    for (Running entry : left) {
      error.addSuppressed(entry.madeAt);
    }
    // Reported once: the test that left them gets the blame, later tests start clean.
    for (Running entry : left) {
      entry.close();
      try {
        entry.cancel.run();
      } catch (RuntimeException e) {
        error.addSuppressed(e);
      }
    }
    throw error;
  }

  /**
   * Cancels every running request.
   *
   * @throws RuntimeException the first failure of a cancellation, with the others suppressed, after
   *     all ran
   */
  public void cancelAll() {
    RuntimeException failure = null;
    for (Running entry : new ArrayList<>(running)) {
      try {
        entry.cancel.run();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** One running request. */
  public final class Running {
    private final String description;
    private final Runnable cancel;
    private final Throwable madeAt;

    private Running(String description, Runnable cancel) {
      this.description = Objects.requireNonNull(description, "description");
      this.cancel = Objects.requireNonNull(cancel, "cancel");
      this.madeAt = new Throwable("the request " + description + " was made here");
    }

    /** Records that the request's stage completed. Idempotent. */
    public void close() {
      if (running.remove(this)) {
        synchronized (idle) {
          idle.notifyAll();
        }
      }
    }

    @Override
    public String toString() {
      return description;
    }
  }
}
