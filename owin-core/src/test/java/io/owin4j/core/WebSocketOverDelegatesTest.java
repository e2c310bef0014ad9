package io.owin4j.core;

import io.owin4j.features.CancellationTokenSource;
import static io.owin4j.core.Stages.assertSucceeded;
import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.WebSocketCloseAsync;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketReceiveAsync;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.api.ext.WebSocketSendAsync;
import io.owin4j.api.features.WebSocketState;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The typed WebSocket over a dictionary host's WebSocket environment. */
class WebSocketOverDelegatesTest {
  private final WebSocketSendAsync sendAsync = mock(WebSocketSendAsync.class);
  private final WebSocketReceiveAsync receiveAsync = mock(WebSocketReceiveAsync.class);
  private final WebSocketCloseAsync closeAsync = mock(WebSocketCloseAsync.class);
  private final CancellationTokenSource connectionLost = new CancellationTokenSource();
  private final Map<String, Object> environment = new HashMap<>();
  private final AtomicInteger connectionAborts = new AtomicInteger();

  @BeforeEach
  void hostEnvironment() {
    environment.put(WebSocketKeys.SEND_ASYNC, sendAsync);
    environment.put(WebSocketKeys.RECEIVE_ASYNC, receiveAsync);
    environment.put(WebSocketKeys.CLOSE_ASYNC, closeAsync);
    environment.put(WebSocketKeys.VERSION, WebSocketKeys.VERSION_VALUE);
    environment.put(WebSocketKeys.CALL_CANCELLED, connectionLost.token());
    when(sendAsync.sendAsync(any(), anyInt(), anyBoolean(), any()))
        .thenReturn(completedFuture(null));
    when(closeAsync.closeAsync(anyInt(), anyString(), any())).thenReturn(completedFuture(null));
  }

  private WebSocketOverDelegates socket() {
    return new WebSocketOverDelegates(environment, null, connectionAborts::incrementAndGet);
  }

  /** Makes the next receive deliver the client's close with the given status and reason. */
  private void clientCloses(int status, String description) {
    when(receiveAsync.receiveAsync(any(), any()))
        .thenAnswer(
            invocation -> {
              environment.put(WebSocketKeys.CLIENT_CLOSE_STATUS, status);
              environment.put(WebSocketKeys.CLIENT_CLOSE_DESCRIPTION, description);
              return completedFuture(
                  new WebSocketReceiveResult(WebSocketMessageTypes.CLOSE, true, 0));
            });
  }

  private static void receive(WebSocketOverDelegates socket) {
    assertSucceeded(socket.receive(ByteBuffer.allocate(8), CancellationToken.NONE));
  }

  @Test
  void sendPassesFrameToSendAsync() {
    ByteBuffer data = ByteBuffer.allocate(3);

    assertSucceeded(
        socket().send(data, WebSocketMessageTypes.BINARY, false, CancellationToken.NONE));

    verify(sendAsync).sendAsync(data, WebSocketMessageTypes.BINARY, false, CancellationToken.NONE);
  }

  @Test
  void closeGoesToCloseAsyncAndMovesToCloseSent() {
    WebSocketOverDelegates socket = socket();

    socket.close(1000, "done", CancellationToken.NONE);

    verify(closeAsync).closeAsync(1000, "done", CancellationToken.NONE);
    assertEquals(WebSocketState.CLOSE_SENT, socket.state());
  }

  @Test
  void sendOfCloseTypeMovesToCloseSent() {
    WebSocketOverDelegates socket = socket();

    socket.send(ByteBuffer.allocate(0), WebSocketMessageTypes.CLOSE, true, CancellationToken.NONE);

    assertEquals(WebSocketState.CLOSE_SENT, socket.state());
  }

  @Test
  void receivedCloseMovesToCloseReceivedWithStatusAndDescription() {
    clientCloses(1001, "going away");
    WebSocketOverDelegates socket = socket();

    receive(socket);

    assertEquals(WebSocketState.CLOSE_RECEIVED, socket.state());
    assertEquals(1001, socket.closeStatus());
    assertEquals("going away", socket.closeDescription());
  }

  @Test
  void closeStatusIsAbsentBeforeCloseArrives() {
    assertNull(socket().closeStatus());
  }

  @Test
  void closeAfterReceivedCloseMovesToClosed() {
    clientCloses(1000, "");
    WebSocketOverDelegates socket = socket();
    receive(socket);

    socket.close(1000, "", CancellationToken.NONE);

    assertEquals(WebSocketState.CLOSED, socket.state());
  }

  @Test
  void sendWhileSendPendingFails() {
    when(sendAsync.sendAsync(any(), anyInt(), anyBoolean(), any()))
        .thenReturn(new CompletableFuture<>());
    WebSocketOverDelegates socket = socket();
    socket.send(ByteBuffer.allocate(1), WebSocketMessageTypes.TEXT, true, CancellationToken.NONE);

    assertThrows(
        IllegalStateException.class,
        () ->
            socket.send(
                ByteBuffer.allocate(1), WebSocketMessageTypes.TEXT, true, CancellationToken.NONE));
  }

  @Test
  void sendAfterCompletedSendSucceeds() {
    WebSocketOverDelegates socket = socket();
    socket.send(ByteBuffer.allocate(1), WebSocketMessageTypes.TEXT, true, CancellationToken.NONE);

    assertSucceeded(
        socket.send(
            ByteBuffer.allocate(1), WebSocketMessageTypes.TEXT, true, CancellationToken.NONE));
  }

  @Test
  void sendAfterCloseFails() {
    WebSocketOverDelegates socket = socket();
    socket.close(1000, "", CancellationToken.NONE);

    assertThrows(
        IllegalStateException.class,
        () ->
            socket.send(
                ByteBuffer.allocate(1), WebSocketMessageTypes.TEXT, true, CancellationToken.NONE));
  }

  @Test
  void receiveAfterReceivedCloseFails() {
    clientCloses(1000, "");
    WebSocketOverDelegates socket = socket();
    receive(socket);

    assertThrows(
        IllegalStateException.class,
        () -> socket.receive(ByteBuffer.allocate(8), CancellationToken.NONE));
  }

  @Test
  void connectionLossMovesToAborted() {
    WebSocketOverDelegates socket = socket();

    connectionLost.cancel();

    assertEquals(WebSocketState.ABORTED, socket.state());
  }

  @Test
  void abortMovesToAbortedAndAbortsConnection() {
    WebSocketOverDelegates socket = socket();

    socket.abort();

    assertEquals(WebSocketState.ABORTED, socket.state());
    assertEquals(1, connectionAborts.get());
  }

  @Test
  void abortAfterCloseHandshakeDoesNothing() {
    clientCloses(1000, "");
    WebSocketOverDelegates socket = socket();
    receive(socket);
    socket.close(1000, "", CancellationToken.NONE);

    socket.abort();

    assertEquals(WebSocketState.CLOSED, socket.state());
    assertEquals(0, connectionAborts.get());
  }

  @Test
  void subProtocolNamedByHostWins() {
    environment.put(WebSocketKeys.SUB_PROTOCOL, "chat.v2");

    WebSocketOverDelegates socket =
        new WebSocketOverDelegates(environment, "chat.v1", connectionAborts::incrementAndGet);

    assertEquals("chat.v2", socket.subProtocol());
  }

  @Test
  void subProtocolFallsBackToTheAcceptedOne() {
    WebSocketOverDelegates socket =
        new WebSocketOverDelegates(environment, "chat.v1", connectionAborts::incrementAndGet);

    assertEquals("chat.v1", socket.subProtocol());
  }

  @Test
  void clientCloseStatusOfWrongTypeFailsTheReceive() {
    when(receiveAsync.receiveAsync(any(), any()))
        .thenAnswer(
            invocation -> {
              environment.put(WebSocketKeys.CLIENT_CLOSE_STATUS, "1000");
              return completedFuture(
                  new WebSocketReceiveResult(WebSocketMessageTypes.CLOSE, true, 0));
            });

    Throwable failure =
        Stages.failureOf(socket().receive(ByteBuffer.allocate(8), CancellationToken.NONE));

    assertEquals(
        "websocket.ClientCloseStatus must be an Integer, got String \"1000\"",
        failure.getMessage());
  }
}
