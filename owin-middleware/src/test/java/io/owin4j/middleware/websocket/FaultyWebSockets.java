package io.owin4j.middleware.websocket;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.api.features.WebSocketState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The host's WebSocket feature with one fault put in: a text message {@code "poison"} fails at the
 * host with {@link IllegalStateException}, and {@code "poison-io"} with {@link IOException}, as a
 * host fails a frame it refuses or a connection it lost. Everything else is the host's own.
 */
record FaultyWebSockets(WebSocketFeature host) implements WebSocketFeature {
  @Override
  public boolean isWebSocketRequest() {
    return host.isWebSocketRequest();
  }

  @Override
  public CompletionStage<WebSocket> accept(@Nullable WebSocketAcceptContext context) {
    return host.accept(context).thenApply(Faulty::new);
  }

  private record Faulty(WebSocket socket) implements WebSocket {
    @Override
    public CompletionStage<Void> send(
        ByteBuffer data, int messageType, boolean endOfMessage, CancellationToken cancel) {
      String text = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
      if (text.equals("poison")) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the host refused the frame \"poison\""));
      }
      if (text.equals("poison-io")) {
        socket.abort();
        return CompletableFuture.failedFuture(new IOException("the connection broke"));
      }
      return socket.send(data, messageType, endOfMessage, cancel);
    }

    @Override
    public CompletionStage<WebSocketReceiveResult> receive(
        ByteBuffer buffer, CancellationToken cancel) {
      return socket.receive(buffer, cancel);
    }

    @Override
    public CompletionStage<Void> close(int status, String description, CancellationToken cancel) {
      return socket.close(status, description, cancel);
    }

    @Override
    public WebSocketState state() {
      return socket.state();
    }

    @Override
    public @Nullable Integer closeStatus() {
      return socket.closeStatus();
    }

    @Override
    public @Nullable String closeDescription() {
      return socket.closeDescription();
    }

    @Override
    public @Nullable String subProtocol() {
      return socket.subProtocol();
    }

    @Override
    public void abort() {
      socket.abort();
    }
  }
}
