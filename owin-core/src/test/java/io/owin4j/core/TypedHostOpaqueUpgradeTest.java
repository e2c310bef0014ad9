package io.owin4j.core;

import io.owin4j.features.DefaultFeatureCollection;
import static io.owin4j.core.Stages.assertPending;
import static io.owin4j.core.Stages.assertSucceeded;
import static io.owin4j.core.Stages.failureOf;
import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.ext.OpaqueUpgrade;
import io.owin4j.api.features.OpaqueUpgradeFeature;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.api.features.WebSocketFeature;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A typed host running a delegate-level application that upgrades to an opaque stream. */
class TypedHostOpaqueUpgradeTest {
  private final DefaultFeatureCollection features = new DefaultFeatureCollection();
  private final OpaqueUpgradeFeature upgrades = mock(OpaqueUpgradeFeature.class);
  private final ResponseFeature response = mock(ResponseFeature.class);
  private final OpaqueStream stream = mock(OpaqueStream.class);
  private final CompletableFuture<OpaqueStream> handshake = new CompletableFuture<>();
  private final CompletableFuture<Void> callbackDone = new CompletableFuture<>();
  private final AtomicReference<@Nullable Map<String, Object>> callbackEnvironment =
      new AtomicReference<>();
  private final AppFunc callback =
      environment -> {
        callbackEnvironment.set(environment);
        return callbackDone;
      };

  @BeforeEach
  void offerUpgrade() {
    when(upgrades.isUpgradableRequest()).thenReturn(true);
    when(upgrades.upgrade(any())).thenReturn(handshake);
    features.set(OpaqueUpgradeFeature.class, upgrades);
    features.set(ResponseFeature.class, response);
  }

  private OpaqueUpgrade upgrade() {
    return Objects.requireNonNull(UpgradeBridge.upgradeDelegate(features));
  }

  private CompletionStage<Void> upgradedSession() {
    upgrade().upgrade(null, callback);
    CompletionStage<Void> hostStage =
        UpgradeBridge.afterApplication(features, completedFuture(null));
    handshake.complete(stream);
    return hostStage;
  }

  private Map<String, Object> environment() {
    return Objects.requireNonNull(callbackEnvironment.get(), "the callback must have run");
  }

  @Test
  void upgradeDelegateIsAbsentWhenRequestIsNotUpgradable() {
    when(upgrades.isUpgradableRequest()).thenReturn(false);

    assertNull(UpgradeBridge.upgradeDelegate(features));
  }

  @Test
  void upgradeSetsStatus101AtOnce() {
    upgrade().upgrade(null, callback);

    verify(response).setStatusCode(101);
    verify(upgrades, never()).upgrade(any());
  }

  @Test
  void secondUpgradeFails() {
    OpaqueUpgrade upgrade = upgrade();
    upgrade.upgrade(null, callback);

    assertThrows(IllegalStateException.class, () -> upgrade.upgrade(null, callback));
  }

  @Test
  void upgradeAfterWebSocketAcceptFails() {
    WebSocketFeature webSockets = mock(WebSocketFeature.class);
    when(webSockets.isWebSocketRequest()).thenReturn(true);
    features.set(WebSocketFeature.class, webSockets);
    Objects.requireNonNull(UpgradeBridge.acceptDelegate(features)).accept(null, callback);

    assertThrows(IllegalStateException.class, () -> upgrade().upgrade(null, callback));
  }

  @Test
  void requestThatNeverUpgradesGetsItsOrdinaryResponse() {
    CompletionStage<Void> hostStage =
        UpgradeBridge.afterApplication(features, completedFuture(null));

    assertSucceeded(hostStage);
    verify(upgrades, never()).upgrade(any());
  }

  @Test
  void typedUpgradeGetsCopyOfParametersTakenAtTheCall() {
    Map<String, Object> parameters = new HashMap<>(Map.of("x.Mode", "raw"));
    upgrade().upgrade(parameters, callback);
    parameters.put("x.Mode", "changed later");

    UpgradeBridge.afterApplication(features, completedFuture(null));

    verify(upgrades).upgrade(Map.of("x.Mode", "raw"));
  }

  @Test
  void callbackGetsEveryOpaqueKey() {
    upgradedSession();

    Map<String, Object> environment = environment();
    assertSame(stream, environment.get(OpaqueKeys.STREAM));
    assertEquals("1.0", environment.get(OpaqueKeys.VERSION));
    CancellationToken callCancelled = (CancellationToken) environment.get(OpaqueKeys.CALL_CANCELLED);
    assertFalse(callCancelled.isCancellationRequested());
  }

  @Test
  void hostStageCompletesWithCallbackStageAndFiresCallCancelled() {
    CompletionStage<Void> hostStage = upgradedSession();
    CancellationToken callCancelled =
        (CancellationToken) environment().get(OpaqueKeys.CALL_CANCELLED);
    assertPending(hostStage);

    callbackDone.complete(null);

    assertSucceeded(hostStage);
    assertTrue(callCancelled.isCancellationRequested());
  }

  @Test
  void failedCallbackFailsHostStage() {
    CompletionStage<Void> hostStage = upgradedSession();
    IOException failure = new IOException("stream broke");

    callbackDone.completeExceptionally(failure);

    assertSame(failure, failureOf(hostStage));
  }

  @Test
  void failedUpgradeSkipsCallbackAbortsRequestAndFailsHostStage() {
    RequestLifetimeFeature lifetime = mock(RequestLifetimeFeature.class);
    features.set(RequestLifetimeFeature.class, lifetime);
    upgrade().upgrade(null, callback);
    CompletionStage<Void> hostStage =
        UpgradeBridge.afterApplication(features, completedFuture(null));
    IOException failure = new IOException("upgrade failed");

    handshake.completeExceptionally(failure);

    assertNull(callbackEnvironment.get());
    verify(lifetime).abort();
    assertSame(failure, failureOf(hostStage));
  }

  @Test
  void upgradeThrowingSynchronouslyCountsAsFailedHandshake() {
    IllegalStateException failure = new IllegalStateException("connection gone");
    when(upgrades.upgrade(any())).thenThrow(failure);
    upgrade().upgrade(null, callback);

    CompletionStage<Void> hostStage =
        UpgradeBridge.afterApplication(features, completedFuture(null));

    assertNull(callbackEnvironment.get());
    assertSame(failure, failureOf(hostStage));
  }
}
