package io.owin4j.core;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.ext.OpaqueUpgrade;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.OpaqueUpgradeFeature;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * WebSocket accept and opaque upgrade, bridged between the delegate form and the typed form.
 *
 * <p>Both upgrades follow one flow: accept (or upgrade) sets status 101, the application's stage
 * completes, and the host calls back with a new environment. Both directions implement that flow
 * once, for both upgrades:
 *
 * <ul>
 *   <li>Typed host, delegate-level application: {@link #acceptDelegate} and {@link #upgradeDelegate}
 *       record the request; {@link #afterApplication} performs it through the typed feature and
 *       runs the callback ({@link PendingUpgrade}).
 *   <li>Dictionary host, typed application: {@link #webSocketFeature} and {@link #opaqueFeature}
 *       call the delegate; {@link #unwindOnTypedAccept} lets the pipeline unwind so the host can
 *       call back ({@link UnwindSignal}).
 * </ul>
 */
final class UpgradeBridge {
  private UpgradeBridge() {}

  /**
   * Typed to delegate: the {@code websocket.Accept} value that {@link OwinEnvironment} shows over a
   * feature collection, or null when it has no WebSocket request. Calling it records the accept;
   * {@link #afterApplication} performs it once the application's stage completed.
   *
   * <p>The delegate validates the parameters ({@code websocket.SubProtocol} must be a String; no
   * null keys or values), sets the {@link io.owin4j.api.features.ResponseFeature} status to 101 at
   * once, and fails with {@link IllegalStateException} when an accept or upgrade was already
   * requested or the response started.
   */
  static @Nullable WebSocketAccept acceptDelegate(FeatureCollection features) {
    WebSocketFeature webSockets = features.get(WebSocketFeature.class);
    if (webSockets == null || !webSockets.isWebSocketRequest()) {
      return null;
    }
    return (parameters, callback) -> {
      WebSocketAcceptContext context = acceptContext(parameters);
      PendingUpgrade.record(
          features,
          WebSocketKeys.ACCEPT,
          callback,
          () -> webSockets.accept(context).thenApply(WebSocketSession::new));
    };
  }

  /**
   * Typed to delegate: the {@code opaque.Upgrade} value, or null when not upgradable. Calling it
   * copies the parameters and records the upgrade as {@link #acceptDelegate} does.
   */
  static @Nullable OpaqueUpgrade upgradeDelegate(FeatureCollection features) {
    OpaqueUpgradeFeature upgrades = features.get(OpaqueUpgradeFeature.class);
    if (upgrades == null || !upgrades.isUpgradableRequest()) {
      return null;
    }
    return (parameters, callback) -> {
      Map<String, Object> copy =
          parameters == null ? null : Collections.unmodifiableMap(new HashMap<>(parameters));
      PendingUpgrade.record(
          features,
          OpaqueKeys.UPGRADE,
          callback,
          () -> upgrades.upgrade(copy).thenApply(OpaqueSession::new));
    };
  }

  /**
   * Typed-host side: runs after a delegate-level application's stage; performs a recorded accept or
   * upgrade through the typed feature and returns the stage that covers the callback too.
   *
   * <p>A request that offers no upgrade gets {@code applicationStage} itself back. Otherwise the
   * returned stage completes as {@code applicationStage} when that fails or recorded nothing. When
   * an accept was recorded, it opens the connection through the typed feature, runs the callback
   * with the new environment, then echoes a close the client sent, or aborts a WebSocket that
   * neither side closed, or one whose callback failed. If the typed accept or upgrade fails (the
   * handshake failed), the callback never runs, the request is aborted through {@link
   * io.owin4j.api.features.RequestLifetimeFeature#abort} when present (firing its {@code
   * owin.CallCancelled}), and the returned stage fails with the handshake's failure.
   */
  static CompletionStage<Void> afterApplication(
      FeatureCollection features, CompletionStage<Void> applicationStage) {
    if (!offersUpgrade(features)) {
      return applicationStage;
    }
    return PendingUpgrade.afterApplication(features, applicationStage);
  }

  /** True when {@link #acceptDelegate} or {@link #upgradeDelegate} would offer a delegate. */
  private static boolean offersUpgrade(FeatureCollection features) {
    WebSocketFeature webSockets = features.get(WebSocketFeature.class);
    if (webSockets != null && webSockets.isWebSocketRequest()) {
      return true;
    }
    OpaqueUpgradeFeature upgrades = features.get(OpaqueUpgradeFeature.class);
    return upgrades != null && upgrades.isUpgradableRequest();
  }

  /**
   * Delegate to typed: the {@link WebSocketFeature} that {@link OwinFeatureCollection} shows over an
   * environment holding {@code websocket.Accept}, or null when it holds none.
   *
   * <p>Its accept calls the delegate with {@code websocket.SubProtocol} and the context's other
   * parameters, and needs the application wrapped by {@link #unwindOnTypedAccept}: without it,
   * accept fails with {@link IllegalStateException} rather than wait for a callback that never
   * comes.
   *
   * @throws IllegalArgumentException if {@code websocket.Accept} is not a {@link WebSocketAccept}
   */
  static @Nullable WebSocketFeature webSocketFeature(Map<String, Object> environment) {
    WebSocketAccept accept = EnvironmentValues.get(environment, WebSocketKeys.ACCEPT, WebSocketAccept.class);
    return accept == null ? null : new AcceptOverDelegate(environment, accept);
  }

  /**
   * Delegate to typed: the {@link OpaqueUpgradeFeature} over {@code opaque.Upgrade}, or null. Its
   * upgrade completes with the callback environment's {@code opaque.Stream}; like {@link
   * #webSocketFeature} it needs the application wrapped by {@link #unwindOnTypedAccept}.
   *
   * @throws IllegalArgumentException if {@code opaque.Upgrade} is not an {@link OpaqueUpgrade}
   */
  static @Nullable OpaqueUpgradeFeature opaqueFeature(Map<String, Object> environment) {
    OpaqueUpgrade upgrade = EnvironmentValues.get(environment, OpaqueKeys.UPGRADE, OpaqueUpgrade.class);
    return upgrade == null ? null : new UpgradeOverDelegate(environment, upgrade);
  }

  /**
   * Dictionary-host side: wraps an application so that typed accept or upgrade over the delegates
   * lets the pipeline unwind (the host calls back only after the stage it sees completes).
   *
   * <p>A request without {@code websocket.Accept} or {@code opaque.Upgrade} goes straight to {@code
   * next}. Otherwise the host's stage completes when {@code next}'s does or when the typed accept
   * called the delegate, whichever is first; the callback's stage is then {@code next}'s.
   */
  static AppFunc unwindOnTypedAccept(AppFunc next) {
    return UnwindSignal.wrap(Objects.requireNonNull(next, "next"));
  }

  /** Validates WebSocket accept parameters from a delegate-level application. */
  private static WebSocketAcceptContext acceptContext(@Nullable Map<String, Object> parameters) {
    if (parameters == null) {
      return WebSocketAcceptContext.of(null);
    }
    Map<String, Object> others = new HashMap<>(parameters);
    others.forEach(
        (key, value) -> {
          if (key == null || value == null) {
            throw new IllegalArgumentException(
                WebSocketKeys.ACCEPT
                    + " parameters must not hold null keys or values, got "
                    + key
                    + " = "
                    + value);
          }
        });
    Object subProtocol = others.remove(WebSocketKeys.SUB_PROTOCOL);
    if (subProtocol != null && !(subProtocol instanceof String)) {
      throw new IllegalArgumentException(
          EnvironmentValues.wrongType(WebSocketKeys.SUB_PROTOCOL, String.class, subProtocol));
    }
    return new WebSocketAcceptContext((String) subProtocol, others);
  }

  /** The OWIN accept parameters for a typed accept context. */
  private static @Nullable Map<String, Object> acceptParameters(
      @Nullable WebSocketAcceptContext context) {
    if (context == null) {
      return null;
    }
    Map<String, Object> parameters = new HashMap<>(context.parameters());
    String subProtocol = context.subProtocol();
    if (subProtocol != null) {
      Object named = parameters.put(WebSocketKeys.SUB_PROTOCOL, subProtocol);
      if (named != null && !named.equals(subProtocol)) {
        throw new IllegalArgumentException(
            "the accept context must name one subprotocol, got subProtocol \""
                + subProtocol
                + "\" and parameter "
                + WebSocketKeys.SUB_PROTOCOL
                + " = "
                + EnvironmentValues.describe(named));
      }
    }
    return parameters;
  }

  /** The typed WebSocket accept over a dictionary host's {@code websocket.Accept}. */
  private static final class AcceptOverDelegate implements WebSocketFeature {
    private final Map<String, Object> environment;
    private final WebSocketAccept accept;

    AcceptOverDelegate(Map<String, Object> environment, WebSocketAccept accept) {
      this.environment = environment;
      this.accept = accept;
    }

    @Override
    public boolean isWebSocketRequest() {
      return true;
    }

    @Override
    public CompletionStage<WebSocket> accept(@Nullable WebSocketAcceptContext context) {
      String subProtocol = context == null ? null : context.subProtocol();
      return UnwindSignal.upgrade(
          environment,
          "WebSocketFeature.accept",
          acceptParameters(context),
          accept::accept,
          (callbackEnvironment, abort) ->
              new WebSocketOverDelegates(callbackEnvironment, subProtocol, abort));
    }
  }

  /** The typed opaque upgrade over a dictionary host's {@code opaque.Upgrade}. */
  private static final class UpgradeOverDelegate implements OpaqueUpgradeFeature {
    private final Map<String, Object> environment;
    private final OpaqueUpgrade upgrade;

    UpgradeOverDelegate(Map<String, Object> environment, OpaqueUpgrade upgrade) {
      this.environment = environment;
      this.upgrade = upgrade;
    }

    @Override
    public boolean isUpgradableRequest() {
      return true;
    }

    @Override
    public CompletionStage<OpaqueStream> upgrade(@Nullable Map<String, Object> parameters) {
      return UnwindSignal.upgrade(
          environment,
          "OpaqueUpgradeFeature.upgrade",
          parameters,
          upgrade::upgrade,
          (callbackEnvironment, abort) ->
              required(callbackEnvironment, OpaqueKeys.STREAM, OpaqueStream.class));
    }
  }

  /**
   * Returns the value of {@code key}.
   *
   * @throws IllegalArgumentException naming the key and the type when it is absent or of another
   *     type
   */
  static <T> T required(Map<String, Object> environment, String key, Class<T> type) {
    T value = EnvironmentValues.get(environment, key, type);
    if (value == null) {
      throw new IllegalArgumentException(EnvironmentValues.expectation(key, type) + ", got nothing");
    }
    return value;
  }
}
