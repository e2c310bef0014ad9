package io.owin4j.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.ext.OpaqueUpgrade;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.ext.WebSocketCloseAsync;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketReceiveAsync;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.api.ext.WebSocketSendAsync;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.core.OwinContext;
import io.owin4j.core.OwinFeatureCollection;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WebSockets and opaque upgrades on the in-memory host. */
@Timeout(20)
class InMemoryUpgradeTest {
  private static final Duration GRACE = Duration.ofSeconds(2);

  /** A delegate-level echo: every message back until the client closes. */
  static AppFunc delegateEcho() {
    return env -> {
      WebSocketAccept accept = (WebSocketAccept) env.get(WebSocketKeys.ACCEPT);
      if (accept == null) {
        env.put(OwinKeys.RESPONSE_STATUS_CODE, 400);
        return CompletableFuture.completedFuture(null);
      }
      String offered = OwinContext.of(env).requestHeader("Sec-WebSocket-Protocol");
      accept.accept(
          offered == null ? null : Map.of(WebSocketKeys.SUB_PROTOCOL, offered.split(",")[0].trim()),
          socket -> echoLoop(socket, ByteBuffer.allocate(1024)));
      return CompletableFuture.completedFuture(null);
    };
  }

  private static CompletionStage<Void> echoLoop(Map<String, Object> socket, ByteBuffer buffer) {
    WebSocketReceiveAsync receive = (WebSocketReceiveAsync) socket.get(WebSocketKeys.RECEIVE_ASYNC);
    WebSocketSendAsync send = (WebSocketSendAsync) socket.get(WebSocketKeys.SEND_ASYNC);
    buffer.clear();
    return receive
        .receiveAsync(buffer, CancellationToken.NONE)
        .thenCompose(
            result -> {
              if (result.isClose()) {
                return CompletableFuture.completedFuture(null);
              }
              buffer.flip();
              return send.sendAsync(
                      buffer, result.messageType(), result.endOfMessage(), CancellationToken.NONE)
                  .thenCompose(sent -> echoLoop(socket, buffer));
            });
  }

  /** A typed echo over {@link WebSocketFeature}: one message back, then a close with 1000. */
  static AppFunc typedEchoOnce() {
    return env -> {
      WebSocketFeature feature = OwinFeatureCollection.of(env).get(WebSocketFeature.class);
      if (feature == null || !feature.isWebSocketRequest()) {
        env.put(OwinKeys.RESPONSE_STATUS_CODE, 400);
        return CompletableFuture.completedFuture(null);
      }
      return feature
          .accept(WebSocketAcceptContext.of(null))
          .thenCompose(
              socket -> {
                ByteBuffer buffer = ByteBuffer.allocate(64);
                return socket
                    .receive(buffer, CancellationToken.NONE)
                    .thenCompose(
                        result ->
                            socket.send(
                                buffer.flip(), result.messageType(), true, CancellationToken.NONE))
                    .thenCompose(sent -> socket.close(1000, "done", CancellationToken.NONE));
              });
    };
  }

  @Test
  void delegateLevelEchoAnswersEachMessage() {
    try (TestServer server = TestServer.create(delegateEcho());
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      socket.sendText("hello");
      assertEquals(WebSocketMessage.text("hello"), socket.receive());
      socket.sendBinary(new byte[] {1, 2, 3});
      assertEquals(WebSocketMessage.binary(new byte[] {1, 2, 3}), socket.receive());
    }
  }

  @Test
  void chosenSubprotocolReachesTheClient() {
    try (TestServer server = TestServer.create(delegateEcho());
        TestWebSocket socket =
            server.webSocket("/ws").subprotocols("echo.v1", "echo.v0").connect()) {
      assertEquals("echo.v1", socket.subProtocol());
    }
  }

  @Test
  void noSubprotocolWhenNoneWasOffered() {
    try (TestServer server = TestServer.create(delegateEcho());
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      assertNull(socket.subProtocol());
    }
  }

  @Test
  void deniedHandshakeIsAnOrdinaryResponse() {
    AppFunc deny =
        env -> {
          OwinContext context = OwinContext.of(env);
          context.setStatusCode(403);
          return context.writeTextAsync("not you");
        };
    try (TestServer server = TestServer.create(deny)) {
      UpgradeDeniedException denied =
          assertThrows(UpgradeDeniedException.class, () -> server.webSocket("/ws").connect());
      assertEquals(403, denied.response().status());
      assertEquals("not you", denied.response().bodyAsText());
    }
  }

  @Test
  void fragmentsTheClientSendsArriveAsOneMessageInTheirParts() {
    List<String> parts = new ArrayList<>();
    AppFunc app =
        env -> {
          WebSocketFeature feature = OwinFeatureCollection.of(env).require(WebSocketFeature.class);
          return feature
              .accept(null)
              .thenCompose(socket -> collect(socket, parts, ByteBuffer.allocate(64)));
        };
    try (TestServer server = TestServer.create(app);
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      socket.sendFragment("hel", false);
      socket.sendFragment("lo", true);
      assertEquals(WebSocketMessage.close(1000, ""), socket.receive());
    }
    assertEquals(List.of("hel:false", "lo:true"), parts);
  }

  private static CompletionStage<Void> collect(
      WebSocket socket, List<String> parts, ByteBuffer buffer) {
    buffer.clear();
    return socket
        .receive(buffer, CancellationToken.NONE)
        .thenCompose(
            result -> {
              parts.add(
                  new String(buffer.array(), 0, result.count(), UTF_8)
                      + ":"
                      + result.endOfMessage());
              return result.endOfMessage()
                  ? socket.close(1000, "", CancellationToken.NONE)
                  : collect(socket, parts, buffer);
            });
  }

  @Test
  void messageLargerThanTheBufferArrivesInSeveralResults() {
    List<WebSocketReceiveResult> results = new ArrayList<>();
    AppFunc app =
        env -> {
          WebSocketFeature feature = OwinFeatureCollection.of(env).require(WebSocketFeature.class);
          return feature.accept(null).thenCompose(socket -> receiveAll(socket, results));
        };
    try (TestServer server = TestServer.create(app);
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      socket.sendText("0123456789");
      assertEquals(WebSocketMessage.close(1000, ""), socket.receive());
    }
    assertEquals(
        List.of(
            new WebSocketReceiveResult(WebSocketMessageTypes.TEXT, false, 4),
            new WebSocketReceiveResult(WebSocketMessageTypes.TEXT, false, 4),
            new WebSocketReceiveResult(WebSocketMessageTypes.TEXT, true, 2)),
        results);
  }

  private static CompletionStage<Void> receiveAll(
      WebSocket socket, List<WebSocketReceiveResult> results) {
    return socket
        .receive(ByteBuffer.allocate(4), CancellationToken.NONE)
        .thenCompose(
            result -> {
              results.add(result);
              return result.endOfMessage()
                  ? socket.close(1000, "", CancellationToken.NONE)
                  : receiveAll(socket, results);
            });
  }

  @Test
  void fragmentsTheAppSendsArriveAsOneMessage() {
    AppFunc app =
        env -> {
          WebSocketAccept accept = (WebSocketAccept) env.get(WebSocketKeys.ACCEPT);
          accept.accept(
              null,
              socket -> {
                WebSocketSendAsync send = (WebSocketSendAsync) socket.get(WebSocketKeys.SEND_ASYNC);
                WebSocketCloseAsync close =
                    (WebSocketCloseAsync) socket.get(WebSocketKeys.CLOSE_ASYNC);
                return send.sendAsync(
                        ByteBuffer.wrap("ab".getBytes(UTF_8)),
                        WebSocketMessageTypes.TEXT,
                        false,
                        CancellationToken.NONE)
                    .thenCompose(
                        sent ->
                            send.sendAsync(
                                ByteBuffer.wrap("cd".getBytes(UTF_8)),
                                WebSocketMessageTypes.TEXT,
                                true,
                                CancellationToken.NONE))
                    .thenCompose(sent -> close.closeAsync(1000, "bye", CancellationToken.NONE));
              });
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.create(app);
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      assertEquals(WebSocketMessage.text("abcd"), socket.receive());
      assertEquals(WebSocketMessage.close(1000, "bye"), socket.receive());
    }
  }

  @Test
  void clientCloseIsEchoedWhenTheAppDoesNotCloseItself() {
    try (TestServer server = TestServer.create(delegateEcho());
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      socket.close(4000, "leaving");
      assertEquals(WebSocketMessage.close(4000, "leaving"), socket.receive());
      server.assertIdle(GRACE);
    }
  }

  @Test
  void appCloseIsAnsweredByTheClient() {
    try (TestServer server = TestServer.create(typedEchoOnce());
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      socket.sendText("once");
      assertEquals(WebSocketMessage.text("once"), socket.receive());
      assertEquals(WebSocketMessage.close(1000, "done"), socket.receive());
      server.assertIdle(GRACE);
    }
  }

  @Test
  void appThatEndsWithoutClosingAbortsTheConnection() {
    AppFunc app =
        env -> {
          ((WebSocketAccept) env.get(WebSocketKeys.ACCEPT))
              .accept(null, socket -> CompletableFuture.completedFuture(null));
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.create(app);
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      assertEquals(WebSocketMessage.close(WebSocketMessage.ABNORMAL_CLOSURE, ""), socket.receive());
    }
  }

  @Test
  void failureAfterAcceptIsThrownFromReceive() {
    IllegalStateException boom = new IllegalStateException("socket boom");
    AppFunc app =
        env -> {
          ((WebSocketAccept) env.get(WebSocketKeys.ACCEPT))
              .accept(null, socket -> CompletableFuture.failedFuture(boom));
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.create(app);
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      assertSame(boom, assertThrows(IllegalStateException.class, socket::receive));
    }
  }

  @Test
  void failureBeforeAcceptIsThrownFromConnect() {
    IllegalStateException boom = new IllegalStateException("handshake boom");
    try (TestServer server =
        TestServer.create(
            env -> {
              throw boom;
            })) {
      assertSame(
          boom, assertThrows(IllegalStateException.class, () -> server.webSocket("/ws").connect()));
    }
  }

  @Test
  void receiveTimesOutWhenNothingArrives() {
    try (TestServer server = TestServer.create(delegateEcho());
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      assertThrows(TestTimeoutException.class, () -> socket.receive(Duration.ofMillis(20)));
    }
  }

  @Test
  void sendingAfterTheClientClosedFails() {
    try (TestServer server = TestServer.create(delegateEcho());
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      socket.close(1000, "");
      assertThrows(IllegalStateException.class, () -> socket.sendText("late"));
    }
  }

  @Test
  void interleavingMessageTypesInsideAFragmentedMessageFails() {
    try (TestServer server = TestServer.create(delegateEcho());
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      socket.sendFragment("part", false);
      assertThrows(IllegalStateException.class, () -> socket.sendBinary(new byte[] {1}));
    }
  }

  @Test
  void closeStatusTheJdkClientRefusesIsRefusedHereToo() {
    try (TestServer server = TestServer.create(delegateEcho());
        TestWebSocket socket = server.webSocket("/ws").connect()) {
      assertThrows(IllegalArgumentException.class, () -> socket.close(1006, ""));
    }
  }

  @Test
  void clientAbortFiresTheWebSocketCallCancelled() throws Exception {
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    AppFunc app =
        env -> {
          ((WebSocketAccept) env.get(WebSocketKeys.ACCEPT))
              .accept(
                  null,
                  socket -> {
                    ((CancellationToken) socket.get(WebSocketKeys.CALL_CANCELLED))
                        .register(() -> cancelled.complete(null));
                    return ((WebSocketReceiveAsync) socket.get(WebSocketKeys.RECEIVE_ASYNC))
                        .receiveAsync(ByteBuffer.allocate(16), CancellationToken.NONE)
                        .handle((result, failure) -> null);
                  });
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.create(app)) {
      TestWebSocket socket = server.webSocket("/ws").connect();
      socket.abort();
      cancelled.get();
      server.assertIdle(GRACE);
    }
  }

  @Test
  void opaqueUpgradeGivesRawStreamsBothWays() throws Exception {
    AppFunc app =
        env -> {
          ((OpaqueUpgrade) env.get(OpaqueKeys.UPGRADE))
              .upgrade(
                  null,
                  opaque -> {
                    OpaqueStream stream = (OpaqueStream) opaque.get(OpaqueKeys.STREAM);
                    return CompletableFuture.runAsync(
                        () -> {
                          try {
                            stream.input().transferTo(stream.output());
                            stream.output().flush();
                          } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                          }
                        });
                  });
          return CompletableFuture.completedFuture(null);
        };
    try (TestServer server = TestServer.create(app);
        OpaqueConnection connection = server.upgrade("/raw", "echo")) {
      assertEquals(101, connection.handshakeResponse().status());
      assertEquals("echo", connection.handshakeResponse().header("Upgrade"));
      OutputStream out = connection.output();
      out.write("ping".getBytes(UTF_8));
      out.close();
      InputStream in = connection.input();
      assertArrayEquals("ping".getBytes(UTF_8), in.readAllBytes());
    }
  }

  @Test
  void refusedUpgradeIsAnOrdinaryResponse() {
    try (TestServer server = TestServer.create(env -> OwinContext.of(env).writeTextAsync("no"))) {
      UpgradeDeniedException denied =
          assertThrows(UpgradeDeniedException.class, () -> server.upgrade("/raw", "echo"));
      assertEquals("no", denied.response().bodyAsText());
    }
  }

  @Test
  void upgradeToWebsocketIsRefusedByTheClient() {
    try (TestServer server = TestServer.create(delegateEcho())) {
      assertThrows(IllegalArgumentException.class, () -> server.upgrade("/raw", "websocket"));
    }
  }

  @Test
  void upgradeIsNotOfferedOnOrdinaryRequests() {
    try (TestServer server =
        TestServer.create(
            env ->
                OwinContext.of(env)
                    .writeTextAsync(
                        env.containsKey(OpaqueKeys.UPGRADE)
                            + "/"
                            + env.containsKey(WebSocketKeys.ACCEPT)))) {
      assertEquals("false/false", server.get("/").send().bodyAsText());
    }
  }
}
