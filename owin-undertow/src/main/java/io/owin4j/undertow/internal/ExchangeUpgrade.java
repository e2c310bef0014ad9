package io.owin4j.undertow.internal;

import io.owin4j.features.ResponseStarter;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.server.ServerConnection;
import io.undertow.util.HeaderMap;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * The HTTP/1.1 upgrade of one request, shared by the WebSocket and opaque features: sends the 101
 * response, hands the raw connection over once it went out, and ends the connection when the
 * application is done.
 *
 * <p>An application may upgrade while it still runs (a typed application keeps its stage pending
 * while it uses the connection) or from the core bridge after its stage completed. Either way the
 * exchange ends at once, which sends the 101; once it went out Undertow calls back with the
 * connection (on the thread that ended the exchange, or on the IO thread when the 101 had to wait),
 * and the stage of {@link #upgrade} completes on the executor the caller names. When the
 * host's stage for the request completes, the function of {@link #ending} passes that on to the
 * upgraded connection, which closes it as its protocol says.
 *
 * <p>The upgraded connection usually outlives the exchange by far; nothing it keeps reachable
 * (Undertow's listeners, the function of {@link #ending}) holds the exchange.
 *
 * <h2>Threading</h2>
 *
 * {@link #upgrade} runs on the thread that owns the exchange (the application's); the function of
 * {@link #ending} on any thread.
 */
final class ExchangeUpgrade {
  private static final Logger LOG = Logger.getLogger(ExchangeUpgrade.class.getName());

  private final HttpServerExchange exchange;
  private final ResponseStarter starter;
  private final Runnable endExchange;
  private volatile @Nullable CompletableFuture<? extends UpgradedConnection> connection;

  /**
   * @param endExchange ends the exchange the way the host always does (on the right thread)
   */
  ExchangeUpgrade(HttpServerExchange exchange, ResponseStarter starter, Runnable endExchange) {
    this.exchange = exchange;
    this.starter = starter;
    this.endExchange = endExchange;
  }

  /** True once an upgrade was started: the exchange no longer carries an HTTP response. */
  boolean requested() {
    return connection != null;
  }

  /** True once the response started: its head went out, so it can no longer be a 101. */
  boolean responseStarted() {
    return starter.hasStarted();
  }

  /**
   * Starts the response as a 101 (the on-starting callbacks see that status), adds the upgrade's
   * own headers, ends the exchange, and opens the connection once the 101 went out.
   *
   * @param headers adds the protocol's response headers; runs after the on-starting callbacks, so
   *     none of them can remove one
   * @param open makes the upgraded connection once the 101 went out; the connection is closed if
   *     it throws
   * @param executor where the returned stage completes
   * @return completes with what {@code open} made; fails with {@link IOException} when the
   *     connection closed before the 101 was sent
   * @throws IllegalStateException if an upgrade was already started or the response started
   * @throws RuntimeException what an on-starting callback threw; nothing was upgraded and the
   *     status is back to what it was
   */
  <T extends UpgradedConnection> CompletionStage<T> upgrade(
      Consumer<HeaderMap> headers, Function<StreamConnection, T> open, Executor executor) {
    if (connection != null || starter.hasStarted()) {
      throw new IllegalStateException(
          "cannot upgrade: "
              + (connection != null
                  ? "the request was upgraded already"
                  : "the response has started (the first body write or flush sends it)"));
    }
    int status = exchange.getStatusCode();
    exchange.setStatusCode(StatusCodes.SWITCHING_PROTOCOLS);
    try {
      starter.start();
    } catch (RuntimeException e) {
      // The response has not started: leave it as the application had it, for its error answer.
      exchange.setStatusCode(status);
      throw e;
    }
    headers.accept(exchange.getResponseHeaders());
    CompletableFuture<T> opened = new CompletableFuture<>();
    connection = opened;
    Handover<T> handover = new Handover<>(opened, open, executor);
    exchange.getConnection().addCloseListener(handover);
    exchange.upgradeChannel(handover);
    endExchange.run();
    return opened.minimalCompletionStage();
  }

  /**
   * What to do when the host's stage for the request completed: end the upgraded connection, now
   * or once it is open, or nothing when the upgrade failed (its connection is closed already). The
   * function holds the upgraded connection alone, not the exchange: an upgraded request outlives
   * its exchange by the connection's life.
   *
   * @throws IllegalStateException if no upgrade was requested
   */
  Consumer<@Nullable Throwable> ending() {
    CompletableFuture<? extends UpgradedConnection> upgraded = connection;
    if (upgraded == null) {
      throw new IllegalStateException("no upgrade was requested");
    }
    return failure ->
        upgraded.whenComplete(
            (opened, openFailure) -> {
              if (opened != null) {
                opened.applicationCompleted(failure);
              }
            });
  }

  /**
   * Hands the raw connection to the upgraded protocol once the 101 went out, or fails the upgrade
   * when the connection closes before that. Undertow keeps both listeners as long as the connection
   * lives: what the handover needs is let go once it ran, so that the exchange and the
   * application's request do not live as long as the upgraded connection.
   */
  private static final class Handover<T extends UpgradedConnection>
      implements HttpUpgradeListener, ServerConnection.CloseListener {
    private record Pending<T>(
        CompletableFuture<T> opened, Function<StreamConnection, T> open, Executor executor) {}

    private @Nullable Pending<T> pending;

    Handover(CompletableFuture<T> opened, Function<StreamConnection, T> open, Executor executor) {
      this.pending = new Pending<>(opened, open, executor);
    }

    /** Claims the handover: null when the other listener claimed it already. */
    private synchronized @Nullable Pending<T> take() {
      Pending<T> claimed = pending;
      pending = null;
      return claimed;
    }

    @Override
    public void handleUpgrade(StreamConnection streamConnection, HttpServerExchange exchange) {
      Pending<T> claimed = take();
      if (claimed == null) {
        // The connection closed before the 101 went out: the upgrade failed already.
        IoUtils.safeClose(streamConnection);
        return;
      }
      CompletableFuture<T> opened = claimed.opened();
      T upgraded;
      try {
        upgraded = claimed.open().apply(streamConnection);
      } catch (RuntimeException e) {
        IoUtils.safeClose(streamConnection);
        opened.completeExceptionally(e);
        return;
      }
      try {
        // Holds the connection alone: an executor's thread may keep its last task.
        claimed.executor().execute(() -> opened.complete(upgraded));
      } catch (RejectedExecutionException e) {
        LOG.log(Level.WARNING, "the executor refused the upgrade of " + exchange, e);
        upgraded.applicationCompleted(e);
        opened.completeExceptionally(e);
      }
    }

    /**
     * The connection closed. Once it was handed over, its closing is the upgraded protocol's
     * business, even before the executor completed the stage.
     */
    @Override
    public void closed(ServerConnection connection) {
      Pending<T> claimed = take();
      if (claimed != null) {
        claimed.opened()
            .completeExceptionally(
                new IOException("the connection closed before the upgrade completed"));
      }
    }
  }

  @Override
  public String toString() {
    return "ExchangeUpgrade{" + (requested() ? "requested}" : "none}");
  }
}
