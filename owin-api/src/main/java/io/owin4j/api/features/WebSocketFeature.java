package io.owin4j.api.features;

import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Accepts a WebSocket handshake ({@code websocket.Accept}), typed.
 *
 * <p>The application calls {@link #accept} and returns a stage that covers its whole use of the
 * socket; the accept stage completes with the open {@link WebSocket} after the host performed the
 * handshake. When the application's stage completes, the host finishes the close handshake or
 * aborts the connection.
 *
 * <pre>{@code
 * WebSocketFeature ws = features.get(WebSocketFeature.class);
 * if (ws != null && ws.isWebSocketRequest()) {
 *   return ws.accept(WebSocketAcceptContext.of("echo.v1")).thenCompose(socket -> echo(socket));
 * }
 * }</pre>
 */
public interface WebSocketFeature {
  /** True when the request is a valid WebSocket handshake. */
  boolean isWebSocketRequest();

  /**
   * Accepts the handshake.
   *
   * @param context the subprotocol and other accept parameters; null for none
   * @return completes with the open socket, or fails if the handshake failed
   * @throws IllegalArgumentException if the subprotocol was not offered by the client
   * @throws IllegalStateException if this is not a WebSocket request or accept was already called
   */
  CompletionStage<WebSocket> accept(@Nullable WebSocketAcceptContext context);
}
