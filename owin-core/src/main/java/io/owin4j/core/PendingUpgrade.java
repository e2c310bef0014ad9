package io.owin4j.core;

import io.owin4j.api.AppFunc;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.core.host.ExchangeLifecycle;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket accept or opaque upgrade that a delegate-level application requested on a typed host,
 * kept as an internal feature (keyed by this class) until the application's stage completes.
 *
 * <p>Both upgrades share this flow: the delegate sets status 101 and {@linkplain #record records}
 * the callback with a way to open the connection through the typed feature; {@link #perform} opens
 * it once the application is done, runs the callback with the session's environment, and finishes
 * the session when the callback's stage completes.
 */
final class PendingUpgrade {
  private static final int SWITCHING_PROTOCOLS = 101;

  private final AppFunc callback;
  private final Supplier<CompletionStage<? extends UpgradeSession>> open;

  private PendingUpgrade(
      AppFunc callback, Supplier<CompletionStage<? extends UpgradeSession>> open) {
    this.callback = callback;
    this.open = open;
  }

  /**
   * Records an accept or upgrade and sets the response status to 101.
   *
   * @param delegateKey the key of the delegate called, for messages
   * @param open opens the connection through the typed feature; called after the application
   * @throws IllegalStateException if an accept or upgrade was already recorded or the response
   *     already started
   */
  static void record(
      FeatureCollection features,
      String delegateKey,
      AppFunc callback,
      Supplier<CompletionStage<? extends UpgradeSession>> open) {
    Objects.requireNonNull(callback, "callback");
    if (features.get(PendingUpgrade.class) != null) {
      throw new IllegalStateException(
          delegateKey + " must be called at most once per request, and an upgrade was already"
              + " requested");
    }
    ResponseFeature response = features.get(ResponseFeature.class);
    if (response != null) {
      if (response.hasStarted()) {
        throw new IllegalStateException(
            delegateKey + " must be called before the response starts, and it has started");
      }
      response.setStatusCode(SWITCHING_PROTOCOLS);
    }
    features.set(PendingUpgrade.class, new PendingUpgrade(callback, open));
  }

  /**
   * Returns a stage that completes like {@code applicationStage} when it fails or recorded nothing,
   * and otherwise performs the recorded upgrade and covers the callback too.
   *
   * <p>The returned stage is completed directly, not chained: for an upgraded connection it stays
   * pending for the connection's life, and so does every stage between it and the callback's.
   */
  static CompletionStage<Void> afterApplication(
      FeatureCollection features, CompletionStage<Void> applicationStage) {
    AfterApplication after = new AfterApplication(features);
    ResponseFeature response = features.get(ResponseFeature.class);
    if (response != null) {
      if (response.hasStarted()) {
        // Started already, as by an accept through the typed feature while the application ran.
        after.run();
      } else {
        response.onStarting(after);
      }
    }
    applicationStage.whenComplete(after);
    return after.result;
  }

  /**
   * What runs when the application's stage completed: performs a recorded upgrade, or completes
   * the result as the application's stage did.
   *
   * <p>It holds the request's features only as long as an upgrade may still be recorded: once the
   * response starts without one (a typed accept sends its 101 at once), nothing can be recorded or
   * performed any more, and it lets go of them. An application that accepted through the typed
   * feature keeps its stage pending for the WebSocket's life; the request must not live as long.
   */
  private static final class AfterApplication implements BiConsumer<Void, Throwable>, Runnable {
    final CompletableFuture<Void> result = new CompletableFuture<>();
    private volatile @Nullable FeatureCollection features;

    AfterApplication(FeatureCollection features) {
      this.features = features;
    }

    /** The response is starting, or started. */
    @Override
    public void run() {
      FeatureCollection request = features;
      if (request != null && request.get(PendingUpgrade.class) == null) {
        features = null;
      }
    }

    @Override
    public void accept(@Nullable Void ignored, @Nullable Throwable failure) {
      try {
        FeatureCollection request = features;
        features = null;
        PendingUpgrade pending =
            failure == null && request != null ? request.get(PendingUpgrade.class) : null;
        if (pending == null || request == null) {
          settle(result, failure);
        } else {
          pending.perform(request, result);
        }
      } catch (RuntimeException e) {
        settle(result, e);
      }
    }
  }

  /**
   * Completes {@code result} as a stage that relays another would: with the failure wrapped in a
   * {@link CompletionException} unless it is one.
   */
  private static void settle(CompletableFuture<Void> result, @Nullable Throwable failure) {
    if (failure == null) {
      result.complete(null);
    } else {
      result.completeExceptionally(ExchangeLifecycle.wrap(failure));
    }
  }

  private void perform(FeatureCollection features, CompletableFuture<Void> result) {
    CompletionStage<? extends UpgradeSession> opening;
    try {
      opening = open.get();
    } catch (RuntimeException e) {
      opening = CompletableFuture.failedFuture(e);
    }
    opening.whenComplete(
        (session, failure) -> {
          if (failure != null) {
            settle(result, handshakeFailed(features, failure));
          } else {
            run(session, result);
          }
        });
  }

  /**
   * The handshake failed, so the callback never runs: aborting the request fires its {@code
   * owin.CallCancelled}, as the extensions require, and the request fails with the returned cause.
   */
  private static Throwable handshakeFailed(FeatureCollection features, Throwable failure) {
    Throwable cause = ExchangeLifecycle.unwrap(failure);
    RequestLifetimeFeature lifetime = features.get(RequestLifetimeFeature.class);
    if (lifetime != null) {
      try {
        lifetime.abort();
      } catch (RuntimeException abortFailure) {
        cause.addSuppressed(abortFailure);
      }
    }
    return cause;
  }

  private void run(UpgradeSession session, CompletableFuture<Void> result) {
    AppFunc.invokeSafely(callback, session.environment())
        .whenComplete((ignored, failure) -> finish(session, failure, result));
  }

  /** Finishes the session after its callback's stage completed, then completes {@code result}. */
  private static void finish(
      UpgradeSession session, @Nullable Throwable callbackFailure, CompletableFuture<Void> result) {
    CompletionStage<Void> finishing;
    try {
      finishing = session.finish(callbackFailure);
    } catch (RuntimeException e) {
      finishing = CompletableFuture.failedFuture(e);
    }
    finishing.whenComplete(
        (ignored, failure) -> {
          // Unwrapped, so that a failure of the cancellation travels with the cause itself.
          Throwable outcome = failure == null ? null : ExchangeLifecycle.unwrap(failure);
          try {
            session.connectionLost.cancel();
          } catch (RuntimeException cancelFailure) {
            if (outcome == null) {
              outcome = cancelFailure;
            } else {
              outcome.addSuppressed(cancelFailure);
            }
          }
          settle(result, outcome);
        });
  }
}
