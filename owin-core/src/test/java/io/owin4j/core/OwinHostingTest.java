package io.owin4j.core;

import static io.owin4j.core.Stages.assertPending;
import static io.owin4j.core.Stages.assertSucceeded;
import static io.owin4j.core.Stages.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.owin4j.api.OwinKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketSendAsync;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.api.features.WebSocketState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link OwinHosting#invoke}: the one way typed hosts run applications. */
class OwinHostingTest {
  private static final AppFunc OK = env -> CompletableFuture.completedFuture(null);

  private final TypedRequest request = new TypedRequest();

  @Test
  void rejectsNullApplication() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> OwinHosting.invoke(null, request.features));

    assertEquals("app", e.getMessage());
  }

  @Test
  void rejectsNullFeatures() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> OwinHosting.invoke(OK, null));

    assertEquals("features", e.getMessage());
  }

  @Test
  void runsTheApplicationOverTheEnvironmentOfTheFeatures() throws Exception {
    AtomicReference<Object> path = new AtomicReference<>();
    request.request.setPath("/hello");

    assertSucceeded(
        OwinHosting.invoke(
            env -> {
              path.set(env.get(OwinKeys.REQUEST_PATH));
              env.put(OwinKeys.RESPONSE_STATUS_CODE, 204);
              return CompletableFuture.completedFuture(null);
            },
            request.features));

    assertEquals("/hello", path.get());
    assertEquals(204, request.response.statusCode());
  }

  @Test
  void aSynchronousThrowArrivesAsAFailedStage() {
    IllegalStateException boom = new IllegalStateException("boom");

    Throwable failure =
        failureOf(
            OwinHosting.invoke(
                env -> {
                  throw boom;
                },
                request.features));

    assertSame(boom, failure);
  }

  @Test
  void delegateLevelWebSocketCodeRunsOnATypedHostAfterTheApplicationUnwinds() {
    WebSocketFeature feature = mock(WebSocketFeature.class);
    WebSocket socket = mock(WebSocket.class);
    CompletableFuture<WebSocket> handshake = new CompletableFuture<>();
    when(feature.isWebSocketRequest()).thenReturn(true);
    when(feature.accept(any())).thenReturn(handshake);
    when(socket.state()).thenReturn(WebSocketState.OPEN);
    when(socket.send(any(), any(Integer.class), any(Boolean.class), any()))
        .thenReturn(CompletableFuture.completedFuture(null));
    when(socket.close(any(Integer.class), any(), any()))
        .thenReturn(CompletableFuture.completedFuture(null));
    request.features.set(WebSocketFeature.class, feature);
    AtomicReference<Object> sendDelegate = new AtomicReference<>();

    AppFunc app =
        env -> {
          WebSocketAccept accept = (WebSocketAccept) env.get(WebSocketKeys.ACCEPT);
          accept.accept(
              null,
              webSocketEnv -> {
                WebSocketSendAsync send = (WebSocketSendAsync) webSocketEnv.get(WebSocketKeys.SEND_ASYNC);
                sendDelegate.set(send);
                return send.sendAsync(
                        ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)),
                        WebSocketMessageTypes.TEXT,
                        true,
                        CancellationToken.NONE)
                    .thenCompose(
                        ignored ->
                            ((io.owin4j.api.ext.WebSocketCloseAsync)
                                    webSocketEnv.get(WebSocketKeys.CLOSE_ASYNC))
                                .closeAsync(1000, "bye", CancellationToken.NONE));
              });
          assertEquals(101, env.get(OwinKeys.RESPONSE_STATUS_CODE));
          return CompletableFuture.completedFuture(null);
        };

    var stage = OwinHosting.invoke(app, request.features);

    assertPending(stage);
    verify(feature).accept(any());
    handshake.complete(socket);
    assertSucceeded(stage);
    assertTrue(sendDelegate.get() instanceof WebSocketSendAsync);
    verify(socket).send(any(), org.mockito.ArgumentMatchers.eq(WebSocketMessageTypes.TEXT), org.mockito.ArgumentMatchers.eq(true), any());
    verify(socket).close(org.mockito.ArgumentMatchers.eq(1000), org.mockito.ArgumentMatchers.eq("bye"), any());
    verify(socket, never()).abort();
  }

  @Test
  void aRequestThatNeverAcceptsGetsItsOrdinaryResponse() {
    WebSocketFeature feature = mock(WebSocketFeature.class);
    when(feature.isWebSocketRequest()).thenReturn(true);
    request.features.set(WebSocketFeature.class, feature);

    assertSucceeded(
        OwinHosting.invoke(
            env -> {
              env.put(OwinKeys.RESPONSE_STATUS_CODE, 403);
              return CompletableFuture.completedFuture(null);
            },
            request.features));

    assertEquals(403, request.response.statusCode());
    verify(feature, never()).accept(any());
  }
}
