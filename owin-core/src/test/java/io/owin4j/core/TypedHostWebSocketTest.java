package io.owin4j.core;

import io.owin4j.features.DefaultFeatureCollection;
import static io.owin4j.core.Stages.assertPending;
import static io.owin4j.core.Stages.assertSucceeded;
import static io.owin4j.core.Stages.failureOf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.ext.WebSocketCloseAsync;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketReceiveAsync;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.api.ext.WebSocketSendAsync;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
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

/** A typed host running a delegate-level application that accepts a WebSocket. */
class TypedHostWebSocketTest {
  private final DefaultFeatureCollection features = new DefaultFeatureCollection();
  private final WebSocketFeature webSockets = mock(WebSocketFeature.class);
  private final ResponseFeature response = mock(ResponseFeature.class);
  private final WebSocket socket = mock(WebSocket.class);
  private final CompletableFuture<WebSocket> handshake = new CompletableFuture<>();
  private final CompletableFuture<Void> callbackDone = new CompletableFuture<>();
  private final AtomicReference<@Nullable Map<String, Object>> callbackEnvironment =
      new AtomicReference<>();
  private final AppFunc callback =
      environment -> {
        callbackEnvironment.set(environment);
        return callbackDone;
      };

  @BeforeEach
  void offerWebSocket() {
    when(webSockets.isWebSocketRequest()).thenReturn(true);
    when(webSockets.accept(any())).thenReturn(handshake);
    when(socket.close(anyInt(), anyString(), any())).thenReturn(completedFuture(null));
    features.set(WebSocketFeature.class, webSockets);
    features.set(ResponseFeature.class, response);
  }

  private WebSocketAccept accept() {
    return Objects.requireNonNull(UpgradeBridge.acceptDelegate(features));
  }

  /** Accepts, completes the application and the handshake; the callback is then running. */
  private CompletionStage<Void> acceptedSession(@Nullable Map<String, Object> parameters) {
    accept().accept(parameters, callback);
    CompletionStage<Void> hostStage =
        UpgradeBridge.afterApplication(features, completedFuture(null));
    handshake.complete(socket);
    return hostStage;
  }

  private Map<String, Object> environment() {
    return Objects.requireNonNull(callbackEnvironment.get(), "the callback must have run");
  }

  private WebSocketSendAsync sendAsync() {
    return (WebSocketSendAsync) environment().get(WebSocketKeys.SEND_ASYNC);
  }

  private CancellationToken callCancelled() {
    return (CancellationToken) environment().get(WebSocketKeys.CALL_CANCELLED);
  }

  private void receiveClose(int status, String description) {
    when(socket.receive(any(), any()))
        .thenReturn(
            completedFuture(new WebSocketReceiveResult(WebSocketMessageTypes.CLOSE, true, 0)));
    when(socket.closeStatus()).thenReturn(status);
    when(socket.closeDescription()).thenReturn(description);
    WebSocketReceiveAsync receiveAsync =
        (WebSocketReceiveAsync) environment().get(WebSocketKeys.RECEIVE_ASYNC);
    assertSucceeded(receiveAsync.receiveAsync(ByteBuffer.allocate(16), CancellationToken.NONE));
  }

  private static ByteBuffer closePayload(int status, String reason) {
    byte[] text = reason.getBytes(UTF_8);
    return ByteBuffer.allocate(2 + text.length).putShort((short) status).put(text).flip();
  }

  @Test
  void acceptDelegateIsAbsentWhenRequestIsNoWebSocketHandshake() {
    when(webSockets.isWebSocketRequest()).thenReturn(false);

    assertNull(UpgradeBridge.acceptDelegate(features));
  }

  @Test
  void acceptDelegateIsAbsentWithoutWebSocketFeature() {
    features.set(WebSocketFeature.class, null);

    assertNull(UpgradeBridge.acceptDelegate(features));
  }

  @Test
  void acceptSetsStatus101AtOnce() {
    accept().accept(null, callback);

    verify(response).setStatusCode(101);
    verify(webSockets, never()).accept(any());
  }

  @Test
  void acceptRejectsSubProtocolThatIsNoString() {
    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () -> accept().accept(Map.of(WebSocketKeys.SUB_PROTOCOL, 7), callback));

    assertEquals("websocket.SubProtocol must be a String, got Integer 7", thrown.getMessage());
    verify(response, never()).setStatusCode(anyInt());
  }

  @Test
  void acceptRejectsNullParameterValue() {
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("x.Option", null);

    assertThrows(IllegalArgumentException.class, () -> accept().accept(parameters, callback));
  }

  @Test
  void secondAcceptFails() {
    WebSocketAccept accept = accept();
    accept.accept(null, callback);

    IllegalStateException thrown =
        assertThrows(IllegalStateException.class, () -> accept.accept(null, callback));

    assertTrue(thrown.getMessage().startsWith("websocket.Accept must be called at most once"));
  }

  @Test
  void acceptAfterResponseStartedFails() {
    when(response.hasStarted()).thenReturn(true);

    assertThrows(IllegalStateException.class, () -> accept().accept(null, callback));
    verify(response, never()).setStatusCode(anyInt());
  }

  @Test
  void requestOfferingNoUpgradeGetsApplicationStageItself() {
    features.set(WebSocketFeature.class, null);
    CompletableFuture<Void> applicationStage = new CompletableFuture<>();

    assertSame(applicationStage, UpgradeBridge.afterApplication(features, applicationStage));
  }

  @Test
  void requestThatNeverAcceptsGetsItsOrdinaryResponse() {
    CompletableFuture<Void> applicationStage = new CompletableFuture<>();
    CompletionStage<Void> hostStage = UpgradeBridge.afterApplication(features, applicationStage);

    applicationStage.complete(null);

    assertSucceeded(hostStage);
    verify(webSockets, never()).accept(any());
  }

  @Test
  void failedApplicationStageSkipsRecordedAccept() {
    accept().accept(null, callback);
    IOException failure = new IOException("application failed");

    CompletionStage<Void> hostStage =
        UpgradeBridge.afterApplication(features, CompletableFuture.failedFuture(failure));

    assertSame(failure, failureOf(hostStage));
    verify(webSockets, never()).accept(any());
  }

  @Test
  void typedAcceptWaitsForApplicationStage() {
    accept().accept(null, callback);
    CompletableFuture<Void> applicationStage = new CompletableFuture<>();
    UpgradeBridge.afterApplication(features, applicationStage);
    verify(webSockets, never()).accept(any());

    applicationStage.complete(null);

    verify(webSockets).accept(any());
  }

  @Test
  void typedAcceptGetsSubProtocolAndOtherParameters() {
    acceptedSession(Map.of(WebSocketKeys.SUB_PROTOCOL, "chat.v1", "x.Compression", "none"));

    ArgumentCaptor<WebSocketAcceptContext> context =
        ArgumentCaptor.forClass(WebSocketAcceptContext.class);
    verify(webSockets).accept(context.capture());
    assertEquals(
        new WebSocketAcceptContext("chat.v1", Map.of("x.Compression", "none")), context.getValue());
  }

  @Test
  void callbackGetsEveryWebSocketKey() {
    when(socket.subProtocol()).thenReturn("chat.v1");

    acceptedSession(null);

    Map<String, Object> environment = environment();
    assertInstanceOf(WebSocketSendAsync.class, environment.get(WebSocketKeys.SEND_ASYNC));
    assertInstanceOf(WebSocketReceiveAsync.class, environment.get(WebSocketKeys.RECEIVE_ASYNC));
    assertInstanceOf(WebSocketCloseAsync.class, environment.get(WebSocketKeys.CLOSE_ASYNC));
    assertEquals("1.0", environment.get(WebSocketKeys.VERSION));
    assertFalse(callCancelled().isCancellationRequested());
    assertEquals("chat.v1", environment.get(WebSocketKeys.SUB_PROTOCOL));
  }

  @Test
  void callbackEnvironmentHasNoSubProtocolWhenNoneWasChosen() {
    acceptedSession(null);

    assertFalse(environment().containsKey(WebSocketKeys.SUB_PROTOCOL));
  }

  @Test
  void hostStageCompletesOnlyAfterCallbackStage() {
    CompletionStage<Void> hostStage = acceptedSession(null);
    assertPending(hostStage);

    callbackDone.complete(null);

    assertSucceeded(hostStage);
  }

  @Test
  void textSendGoesToSocket() {
    ByteBuffer data = ByteBuffer.wrap("hi".getBytes(UTF_8));
    when(socket.send(data, WebSocketMessageTypes.TEXT, true, CancellationToken.NONE))
        .thenReturn(completedFuture(null));
    acceptedSession(null);

    assertSucceeded(
        sendAsync().sendAsync(data, WebSocketMessageTypes.TEXT, true, CancellationToken.NONE));

    verify(socket).send(data, WebSocketMessageTypes.TEXT, true, CancellationToken.NONE);
  }

  @Test
  void sendingCloseTypeClosesWithPayloadStatusAndReason() {
    acceptedSession(null);
    ByteBuffer payload = closePayload(1001, "going away");

    sendAsync().sendAsync(payload, WebSocketMessageTypes.CLOSE, true, CancellationToken.NONE);

    verify(socket).close(1001, "going away", CancellationToken.NONE);
    verify(socket, never()).send(any(), anyInt(), anyBoolean(), any());
    assertFalse(payload.hasRemaining());
  }

  @Test
  void sendingEmptyCloseClosesWithoutAStatus() {
    acceptedSession(null);

    sendAsync()
        .sendAsync(ByteBuffer.allocate(0), WebSocketMessageTypes.CLOSE, true, CancellationToken.NONE);

    verify(socket).close(1005, "", CancellationToken.NONE);
  }

  @Test
  void sendingOneByteCloseIsRejected() {
    acceptedSession(null);

    assertThrows(
        IllegalArgumentException.class,
        () ->
            sendAsync()
                .sendAsync(
                    ByteBuffer.allocate(1),
                    WebSocketMessageTypes.CLOSE,
                    true,
                    CancellationToken.NONE));
    verify(socket, never()).close(anyInt(), anyString(), any());
  }

  @Test
  void sendingCloseWithMalformedReasonIsRejected() {
    acceptedSession(null);
    ByteBuffer payload = ByteBuffer.allocate(3).putShort((short) 1000).put((byte) 0xFF).flip();

    assertThrows(
        IllegalArgumentException.class,
        () ->
            sendAsync()
                .sendAsync(payload, WebSocketMessageTypes.CLOSE, true, CancellationToken.NONE));
    verify(socket, never()).close(anyInt(), anyString(), any());
  }

  @Test
  void pingAndPongSendsGoToTheSocket() {
    acceptedSession(null);
    when(socket.send(any(), anyInt(), anyBoolean(), any()))
        .thenReturn(completedFuture(null));

    for (int type : new int[] {WebSocketMessageTypes.PING, WebSocketMessageTypes.PONG}) {
      assertSucceeded(
          sendAsync().sendAsync(ByteBuffer.allocate(4), type, true, CancellationToken.NONE));
    }

    verify(socket).send(any(), eq(WebSocketMessageTypes.PING), eq(true), any());
    verify(socket).send(any(), eq(WebSocketMessageTypes.PONG), eq(true), any());
  }

  @Test
  void aPingSentInPartsOrTooLargeIsRejected() {
    acceptedSession(null);

    assertThrows(
        IllegalArgumentException.class,
        () ->
            sendAsync()
                .sendAsync(
                    ByteBuffer.allocate(4),
                    WebSocketMessageTypes.PING,
                    false,
                    CancellationToken.NONE));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            sendAsync()
                .sendAsync(
                    ByteBuffer.allocate(126),
                    WebSocketMessageTypes.PING,
                    true,
                    CancellationToken.NONE));
    verify(socket, never()).send(any(), anyInt(), anyBoolean(), any());
  }

  @Test
  void sendOfUnknownMessageTypeIsRejected() {
    acceptedSession(null);

    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () -> sendAsync().sendAsync(ByteBuffer.allocate(1), 0x3, true, CancellationToken.NONE));

    assertTrue(thrown.getMessage().endsWith("got UNKNOWN (0x3)"), thrown.getMessage());
  }

  @Test
  void receivedCloseSetsClientCloseKeys() {
    acceptedSession(null);

    receiveClose(1001, "bye");

    assertEquals(1001, environment().get(WebSocketKeys.CLIENT_CLOSE_STATUS));
    assertEquals("bye", environment().get(WebSocketKeys.CLIENT_CLOSE_DESCRIPTION));
  }

  @Test
  void receivedCloseIsEchoedWhenCallbackCompletes() {
    CompletionStage<Void> hostStage = acceptedSession(null);
    receiveClose(1001, "bye");

    callbackDone.complete(null);

    verify(socket).close(1001, "bye", CancellationToken.NONE);
    verify(socket, never()).abort();
    assertSucceeded(hostStage);
  }

  @Test
  void closeAnsweredByCallbackIsNotEchoedAgain() {
    acceptedSession(null);
    receiveClose(1001, "bye");
    WebSocketCloseAsync closeAsync =
        (WebSocketCloseAsync) environment().get(WebSocketKeys.CLOSE_ASYNC);
    closeAsync.closeAsync(1000, "done", CancellationToken.NONE);

    callbackDone.complete(null);

    verify(socket).close(1000, "done", CancellationToken.NONE);
    verify(socket, never()).close(1001, "bye", CancellationToken.NONE);
    verify(socket, never()).abort();
  }

  @Test
  void socketThatNeitherSideClosedIsAbortedWhenCallbackCompletes() {
    CompletionStage<Void> hostStage = acceptedSession(null);

    callbackDone.complete(null);

    verify(socket).abort();
    verify(socket, never()).close(anyInt(), anyString(), any());
    assertSucceeded(hostStage);
  }

  @Test
  void failedCallbackAbortsSocketAndFailsHostStage() {
    CompletionStage<Void> hostStage = acceptedSession(null);
    IllegalStateException failure = new IllegalStateException("callback failed");

    callbackDone.completeExceptionally(failure);

    verify(socket).abort();
    assertSame(failure, failureOf(hostStage));
  }

  @Test
  void callCancelledFiresWhenSendFailsWithIoError() {
    when(socket.send(any(), anyInt(), anyBoolean(), any()))
        .thenReturn(CompletableFuture.failedFuture(new IOException("connection reset")));
    acceptedSession(null);

    sendAsync()
        .sendAsync(ByteBuffer.allocate(1), WebSocketMessageTypes.BINARY, true, CancellationToken.NONE);

    assertTrue(callCancelled().isCancellationRequested());
  }

  @Test
  void callCancelledStaysQuietWhenSendFailsWithoutConnectionLoss() {
    when(socket.send(any(), anyInt(), anyBoolean(), any()))
        .thenReturn(CompletableFuture.failedFuture(new IllegalStateException("send pending")));
    acceptedSession(null);

    sendAsync()
        .sendAsync(ByteBuffer.allocate(1), WebSocketMessageTypes.BINARY, true, CancellationToken.NONE);

    assertFalse(callCancelled().isCancellationRequested());
  }

  @Test
  void callCancelledFiresWhenSessionEnds() {
    acceptedSession(null);
    CancellationToken callCancelled = callCancelled();

    callbackDone.complete(null);

    assertTrue(callCancelled.isCancellationRequested());
  }

  @Test
  void failedHandshakeSkipsCallbackAbortsRequestAndFailsHostStage() {
    RequestLifetimeFeature lifetime = mock(RequestLifetimeFeature.class);
    features.set(RequestLifetimeFeature.class, lifetime);
    accept().accept(null, callback);
    CompletionStage<Void> hostStage =
        UpgradeBridge.afterApplication(features, completedFuture(null));
    IOException failure = new IOException("handshake failed");

    handshake.completeExceptionally(failure);

    assertNull(callbackEnvironment.get());
    verify(lifetime).abort();
    assertSame(failure, failureOf(hostStage));
  }
}
