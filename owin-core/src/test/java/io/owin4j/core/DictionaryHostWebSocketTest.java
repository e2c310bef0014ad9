package io.owin4j.core;

import io.owin4j.features.CancellationTokenSource;
import static io.owin4j.core.Stages.assertPending;
import static io.owin4j.core.Stages.assertSucceeded;
import static io.owin4j.core.Stages.failureOf;
import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.ext.WebSocketCloseAsync;
import io.owin4j.api.ext.WebSocketReceiveAsync;
import io.owin4j.api.ext.WebSocketSendAsync;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.api.features.WebSocketState;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** A dictionary host offering {@code websocket.Accept} to a typed application. */
class DictionaryHostWebSocketTest {
  private final Map<String, Object> environment = new HashMap<>();
  private final WebSocketAccept owinAccept = mock(WebSocketAccept.class);
  private final CancellationTokenSource requestCancelled = new CancellationTokenSource();
  private final CompletableFuture<Void> applicationDone = new CompletableFuture<>();
  private final AtomicReference<@Nullable CompletionStage<WebSocket>> typedAccept =
      new AtomicReference<>();

  @BeforeEach
  void offerWebSocket() {
    environment.put(WebSocketKeys.ACCEPT, owinAccept);
    environment.put(OwinKeys.CALL_CANCELLED, requestCancelled.token());
  }

  /** A typed application that accepts with {@code context} and then works until told to stop. */
  private AppFunc acceptingApplication(@Nullable WebSocketAcceptContext context) {
    return env -> {
      typedAccept.set(feature(env).accept(context));
      return applicationDone;
    };
  }

  private static WebSocketFeature feature(Map<String, Object> env) {
    return Objects.requireNonNull(UpgradeBridge.webSocketFeature(env));
  }

  private CompletionStage<Void> runWrapped(AppFunc application) throws Exception {
    return UpgradeBridge.unwindOnTypedAccept(application).invoke(environment);
  }

  private CompletionStage<WebSocket> typedAccept() {
    return Objects.requireNonNull(typedAccept.get(), "the application must have accepted");
  }

  private AppFunc acceptCallback() {
    ArgumentCaptor<AppFunc> callback = ArgumentCaptor.forClass(AppFunc.class);
    verify(owinAccept).accept(any(), callback.capture());
    return callback.getValue();
  }

  @SuppressWarnings("unchecked")
  private @Nullable Map<String, Object> acceptParameters() {
    ArgumentCaptor<Map<String, Object>> parameters = ArgumentCaptor.forClass(Map.class);
    verify(owinAccept).accept(parameters.capture(), any());
    return parameters.getValue();
  }

  /** The WebSocket environment a dictionary host hands to the callback. */
  private static Map<String, Object> webSocketEnvironment() {
    Map<String, Object> webSocket = new HashMap<>();
    webSocket.put(WebSocketKeys.SEND_ASYNC, mock(WebSocketSendAsync.class));
    webSocket.put(WebSocketKeys.RECEIVE_ASYNC, mock(WebSocketReceiveAsync.class));
    webSocket.put(WebSocketKeys.CLOSE_ASYNC, mock(WebSocketCloseAsync.class));
    webSocket.put(WebSocketKeys.VERSION, WebSocketKeys.VERSION_VALUE);
    webSocket.put(WebSocketKeys.CALL_CANCELLED, new CancellationTokenSource().token());
    return webSocket;
  }

  @Test
  void webSocketFeatureIsAbsentWithoutAccept() {
    environment.remove(WebSocketKeys.ACCEPT);

    assertNull(UpgradeBridge.webSocketFeature(environment));
  }

  @Test
  void webSocketFeatureRejectsAcceptOfWrongType() {
    environment.put(WebSocketKeys.ACCEPT, "yes");

    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class, () -> UpgradeBridge.webSocketFeature(environment));

    assertEquals(
        "websocket.Accept must be a WebSocketAccept, got String \"yes\"", thrown.getMessage());
  }

  @Test
  void webSocketFeatureReportsWebSocketRequest() {
    assertTrue(feature(environment).isWebSocketRequest());
  }

  @Test
  void typedAcceptWithoutWrapperFailsLoudly() {
    IllegalStateException thrown =
        assertThrows(IllegalStateException.class, () -> feature(environment).accept(null));

    assertTrue(thrown.getMessage().contains("AppBuilder"), thrown.getMessage());
    verify(owinAccept, never()).accept(any(), any());
  }

  @Test
  void requestWithoutUpgradeGoesStraightToNext() throws Exception {
    environment.remove(WebSocketKeys.ACCEPT);
    CompletableFuture<Void> nextStage = new CompletableFuture<>();

    CompletionStage<Void> hostStage = runWrapped(env -> nextStage);

    assertSame(nextStage, hostStage);
    assertFalse(environment.containsKey(UnwindSignal.KEY));
  }

  @Test
  void pipelineUnwindsWhileTypedCodeAwaitsSocket() throws Exception {
    CompletionStage<Void> hostStage = runWrapped(acceptingApplication(null));

    assertSucceeded(hostStage);
    assertPending(typedAccept());
  }

  @Test
  void nestedWrappedPipelineUnwindsOnce() throws Exception {
    AppFunc nested = UpgradeBridge.unwindOnTypedAccept(acceptingApplication(null));

    CompletionStage<Void> hostStage = runWrapped(nested);
    CompletionStage<Void> callbackStage = acceptCallback().invoke(webSocketEnvironment());
    applicationDone.complete(null);

    assertSucceeded(hostStage);
    assertSucceeded(typedAccept());
    assertSucceeded(callbackStage);
  }

  @Test
  void typedAcceptPassesSubProtocolAndOtherParameters() throws Exception {
    runWrapped(
        acceptingApplication(new WebSocketAcceptContext("chat.v1", Map.of("x.Compression", 1))));

    assertEquals(
        Map.of(WebSocketKeys.SUB_PROTOCOL, "chat.v1", "x.Compression", 1), acceptParameters());
  }

  @Test
  void typedAcceptWithoutContextPassesNoParameters() throws Exception {
    runWrapped(acceptingApplication(null));

    assertNull(acceptParameters());
  }

  @Test
  void typedAcceptNamingTwoSubProtocolsIsRejected() throws Exception {
    WebSocketAcceptContext context =
        new WebSocketAcceptContext("chat.v1", Map.of(WebSocketKeys.SUB_PROTOCOL, "chat.v2"));
    runWrapped(
        env -> {
          assertThrows(IllegalArgumentException.class, () -> feature(env).accept(context));
          return completedFuture(null);
        });

    verify(owinAccept, never()).accept(any(), any());
  }

  @Test
  void callbackCompletesTypedAcceptWithOpenSocket() throws Exception {
    runWrapped(acceptingApplication(WebSocketAcceptContext.of("chat.v1")));

    acceptCallback().invoke(webSocketEnvironment());

    assertSucceeded(typedAccept());
    WebSocket socket = typedAccept().toCompletableFuture().join();
    assertEquals(WebSocketState.OPEN, socket.state());
    assertEquals("chat.v1", socket.subProtocol());
  }

  @Test
  void callbackStageLastsAsLongAsApplicationStage() throws Exception {
    runWrapped(acceptingApplication(null));

    CompletionStage<Void> callbackStage = acceptCallback().invoke(webSocketEnvironment());
    assertPending(callbackStage);
    applicationDone.complete(null);

    assertSucceeded(callbackStage);
  }

  @Test
  void applicationFailureAfterAcceptFailsCallbackStage() throws Exception {
    runWrapped(acceptingApplication(null));
    CompletionStage<Void> callbackStage = acceptCallback().invoke(webSocketEnvironment());
    IOException failure = new IOException("echo loop failed");

    applicationDone.completeExceptionally(failure);

    assertSame(failure, failureOf(callbackStage));
  }

  @Test
  void abortOfTypedSocketFailsCallbackStage() throws Exception {
    runWrapped(acceptingApplication(null));
    CompletionStage<Void> callbackStage = acceptCallback().invoke(webSocketEnvironment());

    typedAccept().toCompletableFuture().join().abort();

    assertInstanceOf(CancellationException.class, failureOf(callbackStage));
  }

  @Test
  void requestThatNeverAcceptsGetsItsOrdinaryResponse() throws Exception {
    CompletionStage<Void> hostStage = runWrapped(env -> applicationDone);
    assertPending(hostStage);

    applicationDone.complete(null);

    assertSucceeded(hostStage);
    verify(owinAccept, never()).accept(any(), any());
  }

  @Test
  void applicationFailureBeforeAcceptReachesHost() throws Exception {
    IOException failure = new IOException("application failed");

    CompletionStage<Void> hostStage =
        runWrapped(
            env -> {
              throw failure;
            });

    assertSame(failure, failureOf(hostStage));
  }

  @Test
  void secondTypedAcceptFails() throws Exception {
    runWrapped(
        env -> {
          feature(env).accept(null);
          assertThrows(IllegalStateException.class, () -> feature(env).accept(null));
          return applicationDone;
        });

    verify(owinAccept).accept(any(), any());
  }

  @Test
  void acceptRejectedByHostThrowsAndKeepsPipelineRunning() throws Exception {
    IllegalArgumentException rejection = new IllegalArgumentException("subprotocol not offered");
    doThrow(rejection).when(owinAccept).accept(any(), any());
    AtomicReference<@Nullable Throwable> thrown = new AtomicReference<>();

    CompletionStage<Void> hostStage =
        runWrapped(
            env -> {
              thrown.set(
                  assertThrows(
                      IllegalArgumentException.class,
                      () -> feature(env).accept(WebSocketAcceptContext.of("nope"))));
              return applicationDone;
            });

    assertSame(rejection, thrown.get());
    assertPending(hostStage);
  }

  @Test
  void failedHandshakeFailsTypedAccept() throws Exception {
    runWrapped(acceptingApplication(null));

    requestCancelled.cancel();

    assertInstanceOf(CancellationException.class, failureOf(typedAccept()));
  }

  @Test
  void requestCancelledAfterCallbackLeavesSocketAlone() throws Exception {
    runWrapped(acceptingApplication(null));
    acceptCallback().invoke(webSocketEnvironment());

    requestCancelled.cancel();

    assertSucceeded(typedAccept());
  }

  @Test
  void callbackEnvironmentWithoutDelegatesFailsTypedAccept() throws Exception {
    runWrapped(acceptingApplication(null));
    Map<String, Object> incomplete = webSocketEnvironment();
    incomplete.remove(WebSocketKeys.SEND_ASYNC);

    assertThrows(IllegalArgumentException.class, () -> acceptCallback().invoke(incomplete));

    assertEquals(
        "websocket.SendAsync must be a WebSocketSendAsync, got nothing",
        failureOf(typedAccept()).getMessage());
  }
}
