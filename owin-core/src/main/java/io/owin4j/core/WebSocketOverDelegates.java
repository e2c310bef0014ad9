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
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A typed {@link WebSocket} over the OWIN WebSocket environment a dictionary host handed to the
 * accept callback.
 *
 * <p>Frames pass through to the delegates unchanged. The state follows what passes: a sent close
 * (by {@link #close} or a send of type CLOSE) and a received close move it towards {@link
 * WebSocketState#CLOSED}; the environment's {@code websocket.CallCancelled} moves it to {@link
 * WebSocketState#ABORTED}. A received close takes its status and reason from {@code
 * websocket.ClientCloseStatus} and {@code websocket.ClientCloseDescription}. The delegates offer no
 * abort, so {@link #abort} fails the callback's stage, which makes the host abort the connection.
 */
final class WebSocketOverDelegates implements WebSocket {
  private final Map<String, Object> environment;
  private final WebSocketSendAsync sendAsync;
  private final WebSocketReceiveAsync receiveAsync;
  private final WebSocketCloseAsync closeAsync;
  private final @Nullable String subProtocol;
  private final Runnable abortConnection;

  private final AtomicReference<WebSocketState> state = new AtomicReference<>(WebSocketState.OPEN);
  private final AtomicBoolean sendPending = new AtomicBoolean();
  private final AtomicBoolean receivePending = new AtomicBoolean();
  private volatile @Nullable Integer closeStatus;
  private volatile @Nullable String closeDescription;

  /**
   * @param chosenSubProtocol the subprotocol the application accepted with, used when the
   *     environment names none
   * @throws IllegalArgumentException if a required delegate is missing or of the wrong type
   */
  WebSocketOverDelegates(
      Map<String, Object> environment,
      @Nullable String chosenSubProtocol,
      Runnable abortConnection) {
    this.environment = environment;
    this.sendAsync =
        UpgradeBridge.required(environment, WebSocketKeys.SEND_ASYNC, WebSocketSendAsync.class);
    this.receiveAsync =
        UpgradeBridge.required(
            environment, WebSocketKeys.RECEIVE_ASYNC, WebSocketReceiveAsync.class);
    this.closeAsync =
        UpgradeBridge.required(environment, WebSocketKeys.CLOSE_ASYNC, WebSocketCloseAsync.class);
    String named = EnvironmentValues.get(environment, WebSocketKeys.SUB_PROTOCOL, String.class);
    this.subProtocol = named != null ? named : chosenSubProtocol;
    this.abortConnection = abortConnection;
    UpgradeBridge.required(environment, WebSocketKeys.CALL_CANCELLED, CancellationToken.class)
        .register(
            () ->
                state.updateAndGet(s -> s == WebSocketState.CLOSED ? s : WebSocketState.ABORTED));
  }

  @Override
  public CompletionStage<Void> send(
      ByteBuffer data, int messageType, boolean endOfMessage, CancellationToken cancel) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(cancel, "cancel");
    return sending(
        "send",
        messageType == WebSocketMessageTypes.CLOSE,
        () -> sendAsync.sendAsync(data, messageType, endOfMessage, cancel));
  }

  @Override
  public CompletionStage<Void> close(int status, String description, CancellationToken cancel) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(cancel, "cancel");
    return sending("close", true, () -> closeAsync.closeAsync(status, description, cancel));
  }

  /** Runs one send or close: one at a time, and none after a close was sent. */
  private CompletionStage<Void> sending(
      String operation, boolean closes, Supplier<CompletionStage<Void>> delegate) {
    WebSocketState current = state.get();
    if (current != WebSocketState.OPEN && current != WebSocketState.CLOSE_RECEIVED) {
      throw new IllegalStateException(
          "cannot "
              + operation
              + " on a WebSocket in state "
              + current
              + "; sending ends once a close was sent or the connection aborted");
    }
    if (!sendPending.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "cannot " + operation + " while a send is pending; wait for the pending send's stage");
    }
    CompletionStage<Void> stage;
    try {
      stage = delegate.get();
    } catch (RuntimeException e) {
      sendPending.set(false);
      throw e;
    }
    if (closes) {
      state.updateAndGet(
          s ->
              switch (s) {
                case OPEN -> WebSocketState.CLOSE_SENT;
                case CLOSE_RECEIVED -> WebSocketState.CLOSED;
                default -> s;
              });
    }
    return stage.whenComplete((ignored, failure) -> sendPending.set(false));
  }

  @Override
  public CompletionStage<WebSocketReceiveResult> receive(
      ByteBuffer buffer, CancellationToken cancel) {
    Objects.requireNonNull(buffer, "buffer");
    Objects.requireNonNull(cancel, "cancel");
    WebSocketState current = state.get();
    if (current != WebSocketState.OPEN && current != WebSocketState.CLOSE_SENT) {
      throw new IllegalStateException(
          "cannot receive on a WebSocket in state "
              + current
              + "; receiving ends once a close was received or the connection aborted");
    }
    if (!receivePending.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "cannot receive while a receive is pending; wait for the pending receive's stage");
    }
    CompletionStage<WebSocketReceiveResult> stage;
    try {
      stage = receiveAsync.receiveAsync(buffer, cancel);
    } catch (RuntimeException e) {
      receivePending.set(false);
      throw e;
    }
    return stage.whenComplete(
        (result, failure) -> {
          receivePending.set(false);
          if (result != null && result.isClose()) {
            closeReceived();
          }
        });
  }

  private void closeReceived() {
    closeStatus =
        EnvironmentValues.get(environment, WebSocketKeys.CLIENT_CLOSE_STATUS, Integer.class);
    closeDescription =
        EnvironmentValues.get(
            environment, WebSocketKeys.CLIENT_CLOSE_DESCRIPTION, String.class);
    state.updateAndGet(
        s ->
            switch (s) {
              case OPEN -> WebSocketState.CLOSE_RECEIVED;
              case CLOSE_SENT -> WebSocketState.CLOSED;
              default -> s;
            });
  }

  @Override
  public WebSocketState state() {
    return state.get();
  }

  @Override
  public @Nullable Integer closeStatus() {
    return closeStatus;
  }

  @Override
  public @Nullable String closeDescription() {
    return closeDescription;
  }

  @Override
  public @Nullable String subProtocol() {
    return subProtocol;
  }

  @Override
  public void abort() {
    WebSocketState previous =
        state.getAndUpdate(s -> s == WebSocketState.CLOSED ? s : WebSocketState.ABORTED);
    if (previous != WebSocketState.CLOSED) {
      abortConnection.run();
    }
  }
}
