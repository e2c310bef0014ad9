package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.ext.WebSocketCloseAsync;
import io.owin4j.api.ext.WebSocketReceiveAsync;
import io.owin4j.api.ext.WebSocketSendAsync;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Accepts a WebSocket and sends every message back with its type, until the client closes.
 *
 * <h2>Handshake</h2>
 *
 * When the host offers {@code websocket.Accept} (the request is a WebSocket handshake), the
 * endpoint accepts, choosing the subprotocol {@value #SUB_PROTOCOL} when the client listed it in
 * {@code Sec-WebSocket-Protocol} and none otherwise. Any other request gets 426 with {@code
 * Upgrade: websocket} (400 on HTTP/2, which has no Upgrade).
 *
 * <h2>Echo</h2>
 *
 * Receives into a buffer of {@value #IDLE_BUFFER_SIZE} bytes, so that an idle session holds
 * little memory, growing up to {@value #BUFFER_SIZE} bytes while one message goes on, and sends each
 * part straight back with the same type and end-of-message flag, so a message larger than the
 * buffer, or one the client fragmented, is echoed as fragments of the same message. On a received close it sends a close back
 * with the client's status and reason (1000 when the client gave no status) and completes.
 *
 * <p>Uses only the asynchronous WebSocket delegates and never blocks, so the host may run it on any
 * thread.
 */
public final class WebSocketEcho implements AppFunc {
  /** The subprotocol the endpoint speaks when the client offers it. */
  public static final String SUB_PROTOCOL = "echo.v1";

  /** The size of the largest receive buffer: the most of one message echoed in one part. */
  public static final int BUFFER_SIZE = 16 * 1024;

  /** The size of the receive buffer while the session waits for a message. */
  public static final int IDLE_BUFFER_SIZE = 512;

  private static final int NORMAL_CLOSURE = 1000;

  /** Creates the endpoint; it holds no state. */
  public WebSocketEcho() {}

  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    WebSocketAccept accept = Env.optional(env, WebSocketKeys.ACCEPT, WebSocketAccept.class);
    if (accept == null) {
      return Env.upgradeRequired(env, "websocket");
    }
    Map<String, Object> parameters = null;
    // Subprotocol names are case-sensitive tokens (RFC 6455, section 4.1).
    if (Env.requestHeaderTokens(env, "Sec-WebSocket-Protocol").contains(SUB_PROTOCOL)) {
      parameters = Map.of(WebSocketKeys.SUB_PROTOCOL, SUB_PROTOCOL);
    }
    accept.accept(parameters, WebSocketEcho::echo);
    return Env.done();
  }

  private static CompletionStage<Void> echo(Map<String, Object> socket) {
    WebSocketReceiveAsync receive =
        Env.require(socket, WebSocketKeys.RECEIVE_ASYNC, WebSocketReceiveAsync.class);
    WebSocketSendAsync send =
        Env.require(socket, WebSocketKeys.SEND_ASYNC, WebSocketSendAsync.class);
    CancellationToken cancel =
        Env.require(socket, WebSocketKeys.CALL_CANCELLED, CancellationToken.class);
    // A pending receive holds its buffer for as long as the client stays silent, so an idle
    // session holds only a small one; a message that fills it gets larger buffers for its rest.
    int[] nextSize = {IDLE_BUFFER_SIZE};
    return AsyncLoop.repeat(
        () -> {
          ByteBuffer buffer = ByteBuffer.allocate(nextSize[0]);
          return receive
              .receiveAsync(buffer, cancel)
              .thenCompose(
                  received -> {
                    if (received.isClose()) {
                      return closeBack(socket, cancel).thenApply(closed -> false);
                    }
                    nextSize[0] =
                        received.endOfMessage()
                            ? IDLE_BUFFER_SIZE
                            : Math.min(BUFFER_SIZE, nextSize[0] * 4);
                    return send.sendAsync(
                            buffer.flip(),
                            received.messageType(),
                            received.endOfMessage(),
                            cancel)
                        .thenApply(sent -> true);
                  });
        });
  }

  private static CompletionStage<Void> closeBack(
      Map<String, Object> socket, CancellationToken cancel) {
    Integer status = Env.optional(socket, WebSocketKeys.CLIENT_CLOSE_STATUS, Integer.class);
    String description = Env.optional(socket, WebSocketKeys.CLIENT_CLOSE_DESCRIPTION, String.class);
    return Env.require(socket, WebSocketKeys.CLOSE_ASYNC, WebSocketCloseAsync.class)
        .closeAsync(
            status == null ? NORMAL_CLOSURE : status,
            description == null ? "" : description,
            cancel);
  }
}
