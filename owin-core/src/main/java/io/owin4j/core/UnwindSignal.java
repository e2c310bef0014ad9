package io.owin4j.core;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.WebSocketKeys;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Lets a typed accept or upgrade over a dictionary host's delegate unwind the pipeline: the
 * per-request signal that {@link #wrap} places in the environment.
 *
 * <p>A dictionary host calls the accept callback only after the stage it got from the application
 * completed, while typed code awaits its accept before it completes anything. So the wrapper returns
 * its own stage to the host and completes it either when the application's stage completes or when
 * the typed accept called the delegate, whichever comes first. The callback then hands the typed
 * code its connection and returns a stage that completes with the application's real stage, so the
 * connection lives as long as the typed code uses it.
 *
 * <p>WebSocket and opaque upgrade share this class; only the delegate called and the connection
 * built from the callback's environment differ.
 */
final class UnwindSignal {
  /** The environment key of the signal; private to the bridge. */
  static final String KEY = "owin4j.core.UnwindSignal";

  /** The stage the host sees. */
  private final CompletableFuture<Void> hostStage = new CompletableFuture<>();

  /** The stage the callback returns: the application's, or failed by an abort. */
  private final CompletableFuture<Void> connectionStage = new CompletableFuture<>();

  private boolean upgraded;

  private UnwindSignal() {}

  /** The OWIN delegate a typed upgrade calls: {@code websocket.Accept} or {@code opaque.Upgrade}. */
  @FunctionalInterface
  interface Delegate {
    void call(@Nullable Map<String, Object> parameters, AppFunc callback);
  }

  /** Builds the typed connection from the callback's environment. */
  @FunctionalInterface
  interface ConnectionFactory<C> {
    /**
     * @param abort fails the callback's stage so that the host aborts the connection
     * @throws IllegalArgumentException if the environment lacks what the connection needs
     */
    C open(Map<String, Object> environment, Runnable abort);
  }

  static AppFunc wrap(AppFunc next) {
    return environment -> {
      if (!environment.containsKey(WebSocketKeys.ACCEPT)
          && !environment.containsKey(OpaqueKeys.UPGRADE)) {
        return next.invoke(environment);
      }
      // A pipeline nested in another wrapped one unwinds through the outer signal.
      if (environment.get(KEY) instanceof UnwindSignal) {
        return next.invoke(environment);
      }
      UnwindSignal signal = new UnwindSignal();
      environment.put(KEY, signal);
      AppFunc.invokeSafely(next, environment).whenComplete(signal::applicationCompleted);
      return signal.hostStage;
    };
  }

  private void applicationCompleted(@Nullable Void ignored, @Nullable Throwable failure) {
    if (failure == null) {
      hostStage.complete(null);
      connectionStage.complete(null);
    } else {
      hostStage.completeExceptionally(failure);
      connectionStage.completeExceptionally(failure);
    }
  }

  /**
   * Calls {@code delegate} for a typed accept or upgrade and lets the pipeline unwind.
   *
   * @param environment the request environment, which must hold the signal
   * @param feature the typed call, for messages, such as {@code "WebSocketFeature.accept"}
   * @return completes with the connection once the host called back; fails with {@link
   *     CancellationException} when the request's {@code owin.CallCancelled} fires first (the
   *     handshake failed)
   * @throws IllegalStateException if the application was not wrapped, or an upgrade was already
   *     requested
   */
  static <C> CompletionStage<C> upgrade(
      Map<String, Object> environment,
      String feature,
      @Nullable Map<String, Object> parameters,
      Delegate delegate,
      ConnectionFactory<C> connection) {
    if (!(environment.get(KEY) instanceof UnwindSignal signal)) {
      throw new IllegalStateException(
          feature
              + " over an OWIN host needs the pipeline to unwind before the host calls back, and"
              + " this application was not prepared for it; build the pipeline with AppBuilder,"
              + " which does that");
    }
    return signal.start(environment, feature, parameters, delegate, connection);
  }

  private <C> CompletionStage<C> start(
      Map<String, Object> environment,
      String feature,
      @Nullable Map<String, Object> parameters,
      Delegate delegate,
      ConnectionFactory<C> factory) {
    if (upgraded) {
      throw new IllegalStateException(
          feature + " must be called at most once per request, and an upgrade was already made");
    }
    CompletableFuture<C> connection = new CompletableFuture<>();
    CancellationToken requestCancelled =
        EnvironmentValues.get(environment, OwinKeys.CALL_CANCELLED, CancellationToken.class);
    CancellationToken.Registration handshakeWatch =
        requestCancelled == null
            ? CancellationToken.Registration.EMPTY
            : requestCancelled.register(
                () ->
                    connection.completeExceptionally(
                        new CancellationException(
                            feature
                                + " failed: the request was cancelled before the host completed"
                                + " the handshake")));
    AppFunc callback =
        callbackEnvironment -> {
          handshakeWatch.close();
          try {
            connection.complete(factory.open(callbackEnvironment, this::abort));
          } catch (RuntimeException e) {
            connection.completeExceptionally(e);
            throw e;
          }
          return connectionStage;
        };
    try {
      delegate.call(parameters, callback);
    } catch (RuntimeException e) {
      handshakeWatch.close();
      throw e;
    }
    upgraded = true;
    hostStage.complete(null);
    return connection;
  }

  private void abort() {
    connectionStage.completeExceptionally(
        new CancellationException("the application aborted the upgraded connection"));
  }
}
