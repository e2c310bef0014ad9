package io.owin4j.core;

import io.owin4j.api.AppFunc;
import io.owin4j.api.ext.OpaqueUpgrade;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.OpaqueUpgradeFeature;
import io.owin4j.api.features.WebSocketFeature;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * WebSocket accept and opaque upgrade, bridged between the delegate form and the typed form.
 *
 * <p>Placeholder signatures: the implementation is being written.
 */
final class UpgradeBridge {
  private UpgradeBridge() {}

  /**
   * Typed to delegate: the {@code websocket.Accept} value that {@link OwinEnvironment} shows over a
   * feature collection, or null when it has no WebSocket request. Calling it records the accept;
   * {@link #afterApplication} performs it once the application's stage completed.
   */
  static @Nullable WebSocketAccept acceptDelegate(FeatureCollection features) {
    throw new UnsupportedOperationException("not written yet");
  }

  /** Typed to delegate: the {@code opaque.Upgrade} value, or null when not upgradable. */
  static @Nullable OpaqueUpgrade upgradeDelegate(FeatureCollection features) {
    throw new UnsupportedOperationException("not written yet");
  }

  /**
   * Typed-host side: runs after a delegate-level application's stage; performs a recorded accept or
   * upgrade through the typed feature and returns the stage that covers the callback too.
   */
  static CompletionStage<Void> afterApplication(
      FeatureCollection features, CompletionStage<Void> applicationStage) {
    throw new UnsupportedOperationException("not written yet");
  }

  /**
   * Delegate to typed: the {@link WebSocketFeature} that {@link OwinFeatureCollection} shows over an
   * environment holding {@code websocket.Accept}, or null when it holds none.
   */
  static @Nullable WebSocketFeature webSocketFeature(Map<String, Object> environment) {
    throw new UnsupportedOperationException("not written yet");
  }

  /** Delegate to typed: the {@link OpaqueUpgradeFeature} over {@code opaque.Upgrade}, or null. */
  static @Nullable OpaqueUpgradeFeature opaqueFeature(Map<String, Object> environment) {
    throw new UnsupportedOperationException("not written yet");
  }

  /**
   * Dictionary-host side: wraps an application so that typed accept or upgrade over the delegates
   * lets the pipeline unwind (the host calls back only after the stage it sees completes).
   */
  static AppFunc unwindOnTypedAccept(AppFunc next) {
    throw new UnsupportedOperationException("not written yet");
  }
}
