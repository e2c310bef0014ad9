package io.owin4j.core.host;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How every host ends an exchange once the application's stage completed, written once: an
 * accepted upgrade is finished by its connection; a response the application never started is
 * started; a failure before the start is answered with a bare status ({@link
 * ExchangeRules#statusOf}: 413 for a body over the limit, else 500); a failure after the start
 * aborts the response. A host supplies its side of one exchange as an {@link Exchange}.
 *
 * <p>Stateless and thread-safe; {@link #applicationCompleted} runs on the thread that completed the
 * application's stage.
 */
public final class ExchangeLifecycle {
  private ExchangeLifecycle() {}

  /** One exchange as a host moves it. */
  public interface Exchange {
    /** True when the application accepted an upgrade (WebSocket or opaque) and the 101 went out. */
    boolean upgraded();

    /** Ends the upgraded connection as its protocol requires, after the application's failure. */
    void upgradeCompleted(@Nullable Throwable failure);

    /** True when the connection was aborted already (the client went away). */
    boolean aborted();

    /** True when any of the response reached the connection: it can no longer be replaced. */
    boolean responseStarted();

    /**
     * Starts the response if it has not started (the on-sending-headers callbacks run) and sends
     * the rest of the body, then ends the exchange.
     *
     * @throws RuntimeException what a callback or the body threw; the exchange then fails
     */
    void respond();

    /** The request failed: what a host records for the lifetime of the request. */
    void fault();

    /** Replaces the response with a bare {@code status} for {@code failure}, then ends. */
    void failBeforeStart(Throwable failure, int status);

    /** Aborts the response that started, for {@code failure}. */
    void failAfterStart(Throwable failure);

    /** Ends the exchange without a further response (it was aborted). */
    void end();
  }

  /**
   * Ends {@code exchange} after the application's stage completed with {@code failure} (null on
   * success); see the class comment.
   */
  public static void applicationCompleted(Exchange exchange, @Nullable Throwable failure) {
    Objects.requireNonNull(exchange, "exchange");
    if (exchange.upgraded()) {
      upgradeCompleted(exchange::upgradeCompleted, failure);
      return;
    }
    Throwable failed = failure == null ? null : unwrap(failure);
    if (failed == null) {
      if (exchange.aborted()) {
        exchange.end();
        return;
      }
      try {
        exchange.respond();
        return;
      } catch (Throwable t) {
        failed = t;
      }
    }
    exchange.fault();
    if (exchange.aborted()) {
      exchange.end();
    } else if (!exchange.responseStarted()) {
      exchange.failBeforeStart(failed, ExchangeRules.statusOf(failed));
    } else {
      exchange.failAfterStart(failed);
    }
  }

  /**
   * Ends an upgraded exchange after the application's stage completed with {@code failure} (null
   * on success): what {@link #applicationCompleted} does for an exchange that upgraded, for a host
   * that no longer holds the exchange by then (its upgraded connection outlives it) and keeps only
   * {@code endConnection}.
   */
  public static void upgradeCompleted(
      Consumer<@Nullable Throwable> endConnection, @Nullable Throwable failure) {
    endConnection.accept(failure == null ? null : unwrap(failure));
  }

  /**
   * {@code failure} as a dependent completion stage reports it: in a {@link CompletionException}
   * unless it is one.
   */
  public static CompletionException wrap(Throwable failure) {
    return failure instanceof CompletionException wrapped
        ? wrapped
        : new CompletionException(failure);
  }

  /** The failure completion stages wrap, as the application threw it. */
  public static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
