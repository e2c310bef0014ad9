package io.owin4j.benchmarks;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.core.OwinFeatureCollection;
import io.owin4j.undertow.OwinServer;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The OWIN side of the WebSocket comparison: an echo on an {@link OwinServer} with its default
 * settings, compression included. Like the demo's {@code /ws/echo}, it receives into one buffer
 * per connection (4 KiB here, the largest message the scenarios send) and sends every part straight
 * back with its type and end-of-message flag; every other request gets 426.
 *
 * <p>Usage: {@code OwinWebSocketEcho PORT [none]}; {@code none} turns compression off.
 */
public final class OwinWebSocketEcho {
  private static final int BUFFER_SIZE = 4096;

  private OwinWebSocketEcho() {}

  /** Starts the server and prints {@code Listening on ws://127.0.0.1:PORT/} when ready. */
  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("none"))) {
      System.err.println("usage: OwinWebSocketEcho PORT [none]");
      System.exit(2);
    }
    Probe.startIfAsked();
    OwinServer server =
        OwinServer.builder()
            .host("127.0.0.1")
            .port(Integer.parseInt(args[0]))
            .webSocketCompression(args.length == 1)
            .app(
                env -> {
                  FeatureCollection features = OwinFeatureCollection.of(env);
                  WebSocketFeature webSockets = features.get(WebSocketFeature.class);
                  if (webSockets == null) {
                    env.put(OwinKeys.RESPONSE_STATUS_CODE, 426);
                    return CompletableFuture.completedFuture(null);
                  }
                  return webSockets
                      .accept(WebSocketAcceptContext.of(null))
                      .thenCompose(socket -> echo(socket, ByteBuffer.allocate(BUFFER_SIZE)));
                })
            .build()
            .start();
    System.out.println("Listening on ws://127.0.0.1:" + server.port() + "/");
  }

  /** Echoes until the client closes; loops instead of nesting stages, which may complete at once. */
  private static CompletionStage<Void> echo(WebSocket socket, ByteBuffer buffer) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop(socket, buffer, done);
    return done;
  }

  private static void loop(WebSocket socket, ByteBuffer buffer, CompletableFuture<Void> done) {
    while (true) {
      CompletableFuture<Boolean> step = step(socket, buffer).toCompletableFuture();
      if (!step.isDone()) {
        step.whenComplete(
            (more, failure) -> {
              if (failure != null) {
                done.completeExceptionally(failure);
              } else if (more) {
                loop(socket, buffer, done);
              } else {
                done.complete(null);
              }
            });
        return;
      }
      boolean more;
      try {
        more = step.join();
      } catch (RuntimeException failure) {
        done.completeExceptionally(failure);
        return;
      }
      if (!more) {
        done.complete(null);
        return;
      }
    }
  }

  /** Receives one part and sends it back: true to go on, false once the close was answered. */
  private static CompletionStage<Boolean> step(WebSocket socket, ByteBuffer buffer) {
    return socket
        .receive(buffer.clear(), CancellationToken.NONE)
        .thenCompose(
            received -> {
              if (received.isClose()) {
                Integer status = socket.closeStatus();
                String description = socket.closeDescription();
                return socket
                    .close(
                        status == null ? 1000 : status,
                        description == null ? "" : description,
                        CancellationToken.NONE)
                    .thenApply(closed -> false);
              }
              return socket
                  .send(
                      buffer.flip(),
                      received.messageType(),
                      received.endOfMessage(),
                      CancellationToken.NONE)
                  .thenApply(sent -> true);
            });
  }
}
