package io.owin4j.core;

import io.owin4j.features.CancellationTokenSource;
import static io.owin4j.core.Stages.assertPending;
import static io.owin4j.core.Stages.assertSucceeded;
import static io.owin4j.core.Stages.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.ext.OpaqueUpgrade;
import io.owin4j.api.features.OpaqueUpgradeFeature;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** A dictionary host offering {@code opaque.Upgrade} to a typed application. */
class DictionaryHostOpaqueUpgradeTest {
  private final Map<String, Object> environment = new HashMap<>();
  private final OpaqueUpgrade owinUpgrade = mock(OpaqueUpgrade.class);
  private final CompletableFuture<Void> applicationDone = new CompletableFuture<>();
  private final AtomicReference<@Nullable CompletionStage<OpaqueStream>> typedUpgrade =
      new AtomicReference<>();
  private final AppFunc upgradingApplication =
      env -> {
        typedUpgrade.set(feature(env).upgrade(Map.of("x.Mode", "raw")));
        return applicationDone;
      };

  @BeforeEach
  void offerUpgrade() {
    environment.put(OpaqueKeys.UPGRADE, owinUpgrade);
  }

  private static OpaqueUpgradeFeature feature(Map<String, Object> env) {
    return Objects.requireNonNull(UpgradeBridge.opaqueFeature(env));
  }

  private CompletionStage<Void> runWrapped(AppFunc application) throws Exception {
    return UpgradeBridge.unwindOnTypedAccept(application).invoke(environment);
  }

  private CompletionStage<OpaqueStream> typedUpgrade() {
    return Objects.requireNonNull(typedUpgrade.get(), "the application must have upgraded");
  }

  private AppFunc upgradeCallback() {
    ArgumentCaptor<AppFunc> callback = ArgumentCaptor.forClass(AppFunc.class);
    verify(owinUpgrade).upgrade(any(), callback.capture());
    return callback.getValue();
  }

  private static Map<String, Object> opaqueEnvironment(OpaqueStream stream) {
    Map<String, Object> opaque = new HashMap<>();
    opaque.put(OpaqueKeys.STREAM, stream);
    opaque.put(OpaqueKeys.VERSION, OpaqueKeys.VERSION_VALUE);
    opaque.put(OpaqueKeys.CALL_CANCELLED, new CancellationTokenSource().token());
    return opaque;
  }

  @Test
  void opaqueFeatureIsAbsentWithoutUpgrade() {
    environment.remove(OpaqueKeys.UPGRADE);

    assertNull(UpgradeBridge.opaqueFeature(environment));
  }

  @Test
  void opaqueFeatureRejectsUpgradeOfWrongType() {
    environment.put(OpaqueKeys.UPGRADE, 42);

    IllegalArgumentException thrown =
        assertThrows(IllegalArgumentException.class, () -> UpgradeBridge.opaqueFeature(environment));

    assertEquals("opaque.Upgrade must be an OpaqueUpgrade, got Integer 42", thrown.getMessage());
  }

  @Test
  void opaqueFeatureReportsUpgradableRequest() {
    assertTrue(feature(environment).isUpgradableRequest());
  }

  @Test
  void typedUpgradeWithoutWrapperFailsLoudly() {
    IllegalStateException thrown =
        assertThrows(IllegalStateException.class, () -> feature(environment).upgrade(null));

    assertTrue(thrown.getMessage().contains("AppBuilder"), thrown.getMessage());
    verify(owinUpgrade, never()).upgrade(any(), any());
  }

  @Test
  void pipelineUnwindsWhileTypedCodeAwaitsStream() throws Exception {
    CompletionStage<Void> hostStage = runWrapped(upgradingApplication);

    assertSucceeded(hostStage);
    assertPending(typedUpgrade());
    verify(owinUpgrade).upgrade(eq(Map.of("x.Mode", "raw")), any());
  }

  @Test
  void callbackCompletesTypedUpgradeWithStream() throws Exception {
    OpaqueStream stream = mock(OpaqueStream.class);
    runWrapped(upgradingApplication);

    upgradeCallback().invoke(opaqueEnvironment(stream));

    assertSame(stream, typedUpgrade().toCompletableFuture().join());
  }

  @Test
  void callbackStageLastsAsLongAsApplicationStage() throws Exception {
    runWrapped(upgradingApplication);

    CompletionStage<Void> callbackStage =
        upgradeCallback().invoke(opaqueEnvironment(mock(OpaqueStream.class)));
    assertPending(callbackStage);
    applicationDone.complete(null);

    assertSucceeded(callbackStage);
  }

  @Test
  void requestThatNeverUpgradesGetsItsOrdinaryResponse() throws Exception {
    CompletionStage<Void> hostStage = runWrapped(env -> applicationDone);

    applicationDone.complete(null);

    assertSucceeded(hostStage);
    verify(owinUpgrade, never()).upgrade(any(), any());
  }

  @Test
  void callbackEnvironmentWithoutStreamFailsTypedUpgrade() throws Exception {
    runWrapped(upgradingApplication);
    Map<String, Object> incomplete = opaqueEnvironment(mock(OpaqueStream.class));
    incomplete.remove(OpaqueKeys.STREAM);

    assertThrows(IllegalArgumentException.class, () -> upgradeCallback().invoke(incomplete));

    assertInstanceOf(IllegalArgumentException.class, failureOf(typedUpgrade()));
  }
}
