package io.owin4j.core;

import io.owin4j.api.AppFunc;
import io.owin4j.api.features.FeatureCollection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The entry point for hosts that speak typed features: runs an OWIN application over a request's
 * feature collection.
 *
 * <p>Every such host (the Undertow host, the in-memory test server) calls {@link #invoke} once per
 * request, so the environment, failure handling, and WebSocket and opaque upgrades work the same
 * everywhere.
 */
public final class OwinHosting {
  private OwinHosting() {}

  /**
   * Runs {@code app} over the environment of {@code features}.
   *
   * <p>Builds the environment with {@link OwinEnvironment#of}, invokes the application so that a
   * synchronous throw or a null stage become a failed stage, and, once the application's stage
   * completes, performs a WebSocket accept or opaque upgrade the application asked for through the
   * typed features. The host starts and completes the response when the returned stage completes.
   *
   * @return a stage that completes when the application, and any upgraded connection's callback,
   *     are done; it fails with the application's failure. Never null; every failure arrives
   *     through it
   * @throws NullPointerException if an argument is null
   */
  public static CompletionStage<Void> invoke(AppFunc app, FeatureCollection features) {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(features, "features");
    try {
      Map<String, Object> environment = OwinEnvironment.of(features);
      CompletionStage<Void> stage = AppFunc.invokeSafely(app, environment);
      return UpgradeBridge.afterApplication(features, stage);
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
  }
}
