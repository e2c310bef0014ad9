package io.owin4j.core;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.WebSocketCloseAsync;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketReceiveAsync;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.api.ext.WebSocketSendAsync;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketState;
import io.owin4j.core.host.ExchangeLifecycle;
import io.owin4j.core.host.WebSocketProtocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A typed {@link WebSocket} presented to a delegate-level callback as the OWIN WebSocket
 * environment: {@code websocket.SendAsync}, {@code ReceiveAsync} and {@code CloseAsync} over the
 * socket, with {@code websocket.Version}, {@code CallCancelled} and the chosen {@code SubProtocol}.
 *
 * <p>A send of type CLOSE becomes {@link WebSocket#close} with the status and reason parsed from the
 * payload (an empty payload closes without a status, 1005); pings and pongs go to the socket, which
 * sends them. The rules of {@link WebSocketProtocol} apply. A received close sets {@code
 * websocket.ClientCloseStatus} and {@code websocket.ClientCloseDescription} before the receive's
 * stage completes.
 *
 * <p>{@code websocket.CallCancelled} fires when a send, receive or close fails with an {@link
 * IOException} or leaves the socket {@link WebSocketState#ABORTED}, and when the session ends.
 */
final class WebSocketSession extends UpgradeSession {

  private final WebSocket socket;
  // Sized for the five or six keys it has while the session is open (the default table has room
  // for twelve): it lives as long as the connection. The two close keys grow it once, at the end.
  private final Map<String, Object> environment = new HashMap<>(8);

  // Written by the receive's and close's completions, read by finish() once the callback's stage
  // completed; the stages order them, volatile keeps that visible across threads.
  private volatile boolean closeSent;
  private volatile boolean closeReceived;
  private volatile @Nullable Integer receivedStatus;
  private volatile @Nullable String receivedDescription;

  WebSocketSession(WebSocket socket) {
    this.socket = socket;
    environment.put(WebSocketKeys.SEND_ASYNC, (WebSocketSendAsync) this::send);
    environment.put(WebSocketKeys.RECEIVE_ASYNC, (WebSocketReceiveAsync) this::receive);
    environment.put(WebSocketKeys.CLOSE_ASYNC, (WebSocketCloseAsync) this::close);
    environment.put(WebSocketKeys.VERSION, WebSocketKeys.VERSION_VALUE);
    environment.put(WebSocketKeys.CALL_CANCELLED, connectionLost.token());
    String subProtocol = socket.subProtocol();
    if (subProtocol != null) {
      environment.put(WebSocketKeys.SUB_PROTOCOL, subProtocol);
    }
  }

  @Override
  Map<String, Object> environment() {
    return environment;
  }

  private CompletionStage<Void> send(
      ByteBuffer data, int messageType, boolean endOfMessage, CancellationToken cancel) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(cancel, "cancel");
    WebSocketProtocol.checkSend(messageType, data, endOfMessage);
    if (messageType == WebSocketMessageTypes.CLOSE) {
      WebSocketProtocol.Close close = WebSocketProtocol.closeOf(data, endOfMessage);
      return close(close.status(), close.description(), cancel);
    }
    return watch(socket.send(data, messageType, endOfMessage, cancel));
  }

  private CompletionStage<WebSocketReceiveResult> receive(
      ByteBuffer buffer, CancellationToken cancel) {
    Objects.requireNonNull(buffer, "buffer");
    Objects.requireNonNull(cancel, "cancel");
    // One stage, not a thenApply and a watch: an idle session waits in a receive all the time, and
    // every stage of the chain lives as long as it waits.
    return socket
        .receive(buffer, cancel)
        .handle(
            (result, failure) -> {
              Throwable failed = failure;
              if (failed == null) {
                try {
                  return received(result);
                } catch (RuntimeException e) {
                  failed = e;
                }
              }
              CompletionException wrapped = ExchangeLifecycle.wrap(failed);
              cancelIfConnectionLost(wrapped);
              throw wrapped;
            });
  }

  private WebSocketReceiveResult received(WebSocketReceiveResult result) {
    if (result.isClose()) {
      Integer status = socket.closeStatus();
      String description = socket.closeDescription();
      receivedStatus = status;
      receivedDescription = description;
      if (status != null) {
        environment.put(WebSocketKeys.CLIENT_CLOSE_STATUS, status);
      }
      if (description != null) {
        environment.put(WebSocketKeys.CLIENT_CLOSE_DESCRIPTION, description);
      }
      closeReceived = true;
    }
    return result;
  }

  private CompletionStage<Void> close(int status, String description, CancellationToken cancel) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(cancel, "cancel");
    CompletionStage<Void> closing = socket.close(status, description, cancel);
    closeSent = true;
    return watch(closing);
  }

  /** Fires {@code websocket.CallCancelled} when {@code stage} fails because the connection went. */
  private <T> CompletionStage<T> watch(CompletionStage<T> stage) {
    return stage.whenComplete(
        (result, failure) -> {
          if (failure != null) {
            cancelIfConnectionLost(failure);
          }
        });
  }

  /** Fires {@code websocket.CallCancelled} if {@code failure} means the connection went. */
  private void cancelIfConnectionLost(Throwable failure) {
    if (isConnectionLoss(failure)) {
      try {
        connectionLost.cancel();
      } catch (RuntimeException callbackFailure) {
        failure.addSuppressed(callbackFailure);
      }
    }
  }

  private boolean isConnectionLoss(Throwable failure) {
    return socket.state() == WebSocketState.ABORTED || causedByIo(failure);
  }

  private static boolean causedByIo(Throwable failure) {
    // Bounded, so a cause chain that loops back on itself cannot hang the check.
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 64; depth++, cause = cause.getCause()) {
      if (cause instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Echoes a close the client sent when the callback sent none, aborts when neither side closed or
   * the callback failed, and otherwise leaves the close handshake to the host.
   */
  @Override
  CompletionStage<Void> finish(@Nullable Throwable callbackFailure) {
    if (callbackFailure != null) {
      socket.abort();
      return CompletableFuture.failedFuture(callbackFailure);
    }
    if (closeReceived && !closeSent) {
      Integer status = receivedStatus;
      String description = receivedDescription;
      return close(
          status == null ? WebSocketProtocol.NO_STATUS : status,
          description == null ? "" : description,
          CancellationToken.NONE);
    }
    if (!closeReceived && !closeSent) {
      socket.abort();
    }
    return CompletableFuture.completedFuture(null);
  }
}
