package io.owin4j.undertow;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.ext.WebSocketCloseAsync;
import io.owin4j.api.ext.WebSocketReceiveAsync;
import io.owin4j.api.ext.WebSocketSendAsync;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.core.OwinFeatureCollection;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * One WebSocket echo middleware, written twice: once against the OWIN delegates and once against
 * the typed feature. Both accept the {@code echo} subprotocol when the client offers it, echo every
 * message part as it arrives (so fragments come back as fragments), echo the client's close, and
 * answer other requests with 426.
 *
 * <p>Each finished session reports how it ended to {@link #sessions}: empty when it ended well,
 * else its failure.
 */
enum EchoMiddleware {
  DELEGATES {
    @Override
    AppFunc app(BlockingQueue<Optional<Throwable>> sessions) {
      return env -> {
        WebSocketAccept accept = (WebSocketAccept) env.get(WebSocketKeys.ACCEPT);
        if (accept == null) {
          env.put(OwinKeys.RESPONSE_STATUS_CODE, UPGRADE_REQUIRED);
          return DONE;
        }
        String subProtocol = chosenSubProtocol(env);
        accept.accept(
            subProtocol == null ? null : Map.of(WebSocketKeys.SUB_PROTOCOL, subProtocol),
            socket -> report(sessions, echo(socket, ByteBuffer.allocate(BUFFER_SIZE))));
        return DONE;
      };
    }

    private CompletionStage<Void> echo(Map<String, Object> socket, ByteBuffer buffer) {
      WebSocketReceiveAsync receive =
          (WebSocketReceiveAsync) socket.get(WebSocketKeys.RECEIVE_ASYNC);
      WebSocketSendAsync send = (WebSocketSendAsync) socket.get(WebSocketKeys.SEND_ASYNC);
      WebSocketCloseAsync close = (WebSocketCloseAsync) socket.get(WebSocketKeys.CLOSE_ASYNC);
      buffer.clear();
      return receive
          .receiveAsync(buffer, CancellationToken.NONE)
          .thenCompose(
              result -> {
                if (result.isClose()) {
                  return close.closeAsync(
                      (Integer) socket.get(WebSocketKeys.CLIENT_CLOSE_STATUS),
                      (String) socket.get(WebSocketKeys.CLIENT_CLOSE_DESCRIPTION),
                      CancellationToken.NONE);
                }
                return send.sendAsync(
                        buffer.flip(),
                        result.messageType(),
                        result.endOfMessage(),
                        CancellationToken.NONE)
                    .thenCompose(sent -> echo(socket, buffer));
              });
    }
  },

  TYPED {
    @Override
    AppFunc app(BlockingQueue<Optional<Throwable>> sessions) {
      return env -> {
        WebSocketFeature webSockets = OwinFeatureCollection.of(env).get(WebSocketFeature.class);
        if (webSockets == null || !webSockets.isWebSocketRequest()) {
          env.put(OwinKeys.RESPONSE_STATUS_CODE, UPGRADE_REQUIRED);
          return DONE;
        }
        return report(
            sessions,
            webSockets
                .accept(WebSocketAcceptContext.of(chosenSubProtocol(env)))
                .thenCompose(socket -> echo(socket, ByteBuffer.allocate(BUFFER_SIZE))));
      };
    }

    private CompletionStage<Void> echo(WebSocket socket, ByteBuffer buffer) {
      buffer.clear();
      return socket
          .receive(buffer, CancellationToken.NONE)
          .thenCompose(
              result -> {
                if (result.isClose()) {
                  return socket.close(
                      socket.closeStatus(), socket.closeDescription(), CancellationToken.NONE);
                }
                return socket
                    .send(
                        buffer.flip(),
                        result.messageType(),
                        result.endOfMessage(),
                        CancellationToken.NONE)
                    .thenCompose(sent -> echo(socket, buffer));
              });
    }
  };

  /** Small, so that larger messages take several receives. */
  static final int BUFFER_SIZE = 4096;

  static final int UPGRADE_REQUIRED = 426;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** The middleware as an application that reports each session's end to {@code sessions}. */
  abstract AppFunc app(BlockingQueue<Optional<Throwable>> sessions);

  /** A queue for {@link #app}. */
  static BlockingQueue<Optional<Throwable>> sessions() {
    return new LinkedBlockingQueue<>();
  }

  private static @Nullable String chosenSubProtocol(Map<String, Object> env) {
    @SuppressWarnings("unchecked")
    Map<String, String[]> headers = (Map<String, String[]>) env.get(OwinKeys.REQUEST_HEADERS);
    String[] offered = headers.get("Sec-WebSocket-Protocol");
    if (offered == null) {
      return null;
    }
    return Arrays.stream(offered)
            .flatMap(value -> Arrays.stream(value.split(",")))
            .map(String::trim)
            .anyMatch("echo"::equals)
        ? "echo"
        : null;
  }

  private static CompletionStage<Void> report(
      BlockingQueue<Optional<Throwable>> sessions, CompletionStage<Void> session) {
    return session.whenComplete(
        (ignored, failure) -> sessions.add(Optional.ofNullable(failure)));
  }
}
