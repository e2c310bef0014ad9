package io.owin4j.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.ext.WebSocketReceiveAsync;
import io.owin4j.api.ext.WebSocketSendAsync;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One test, two hosts: middleware that sets a header while the headers go out, one that streams,
 * one that echoes over a WebSocket and one that throws behave the same in memory and on Undertow.
 */
@OwinHostTest
@Timeout(30)
class BothHostsTest {
  /** Gates the streaming endpoint, per request, until the test read the first chunk. */
  private static final Map<String, CountDownLatch> FIRST_CHUNK_READ = new ConcurrentHashMap<>();

  static final IllegalStateException BOOM = new IllegalStateException("boom");
  static final IllegalStateException SOCKET_BOOM = new IllegalStateException("socket boom");

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.use(
                (context, next) -> {
                  context.onSendingHeaders(
                      () -> context.setResponseHeader("X-Status-Seen", "" + context.statusCode()));
                  return next.invoke(context.environment());
                })
            .map("/stream", branch -> branch.run(BothHostsTest::stream))
            .map("/echo", branch -> branch.run(BothHostsTest::echo))
            .map(
                "/socket-boom",
                branch ->
                    branch.run(
                        env -> {
                          ((WebSocketAccept) env.get(WebSocketKeys.ACCEPT))
                              .accept(
                                  Map.of(WebSocketKeys.SUB_PROTOCOL, "boom.v1"),
                                  // Fails once the client spoke, so the failure never races
                                  // the client's reading of the 101.
                                  socket ->
                                      ((WebSocketReceiveAsync)
                                              socket.get(WebSocketKeys.RECEIVE_ASYNC))
                                          .receiveAsync(
                                              ByteBuffer.allocate(64), CancellationToken.NONE)
                                          .thenCompose(
                                              received ->
                                                  CompletableFuture.<Void>failedFuture(
                                                      SOCKET_BOOM)));
                          return CompletableFuture.completedFuture(null);
                        }))
            .map(
                "/boom",
                branch ->
                    branch.run(
                        env -> {
                          throw BOOM;
                        }))
            .run(
                env -> {
                  OwinContext context = OwinContext.of(env);
                  context.setStatusCode(201);
                  return context.writeTextAsync("created");
                });
  }

  private static CompletionStage<Void> stream(Map<String, Object> env) throws Exception {
    OwinContext context = OwinContext.of(env);
    CountDownLatch gate = FIRST_CHUNK_READ.get(context.query("gate"));
    OutputStream body = context.responseBody();
    body.write("first;".getBytes(UTF_8));
    body.flush();
    if (!gate.await(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the test never read the first chunk");
    }
    body.write("second".getBytes(UTF_8));
    return CompletableFuture.completedFuture(null);
  }

  private static CompletionStage<Void> echo(Map<String, Object> env) {
    WebSocketAccept accept = (WebSocketAccept) env.get(WebSocketKeys.ACCEPT);
    if (accept == null) {
      env.put(OwinKeys.RESPONSE_STATUS_CODE, 426);
      return CompletableFuture.completedFuture(null);
    }
    accept.accept(null, socket -> echoLoop(socket, ByteBuffer.allocate(4096)));
    return CompletableFuture.completedFuture(null);
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

  @Test
  void headerSetWhileTheHeadersGoOutSeesTheFinalStatus(TestClient client) {
    TestResponse response = client.get("/").send();

    assertEquals(201, response.status());
    assertEquals("201", response.header("X-Status-Seen"));
    assertEquals("created", response.bodyAsText());
  }

  @Test
  void firstChunkArrivesBeforeTheApplicationFinishes(TestClient client) throws Exception {
    String gate = Long.toString(System.nanoTime());
    FIRST_CHUNK_READ.put(gate, new CountDownLatch(1));
    try (TestResponse response = client.get("/stream").query("gate", gate).send()) {
      InputStream body = response.bodyStream();

      assertEquals("first;", new String(body.readNBytes(6), UTF_8));
      FIRST_CHUNK_READ.get(gate).countDown();
      assertEquals("second", new String(body.readAllBytes(), UTF_8));
    } finally {
      FIRST_CHUNK_READ.remove(gate);
    }
  }

  @Test
  void webSocketEchoesEveryMessage(TestClient client) {
    try (TestWebSocket socket = client.webSocket("/echo").connect()) {
      socket.sendText("hello");
      assertEquals(WebSocketMessage.text("hello"), socket.receive());
      socket.sendBinary(new byte[] {4, 2});
      assertEquals(WebSocketMessage.binary(new byte[] {4, 2}), socket.receive());
      socket.close(1000, "bye");
      assertEquals(1000, socket.receive().closeStatus());
    }
  }

  @Test
  void exceptionAfterTheWebSocketWasAcceptedIsThrownFromReceive(TestClient client) {
    try (TestWebSocket socket =
        client.webSocket("/socket-boom").subprotocols("boom.v1").connect()) {
      assertEquals("boom.v1", socket.subProtocol());
      socket.sendText("go");
      assertSame(SOCKET_BOOM, assertThrows(IllegalStateException.class, socket::receive));
    }
  }

  @Test
  void deniedWebSocketHandshakeIsAnOrdinaryResponse(TestClient client) {
    UpgradeDeniedException denied =
        assertThrows(UpgradeDeniedException.class, () -> client.webSocket("/").connect());

    assertEquals(201, denied.response().status());
    assertEquals("201", denied.response().header("X-Status-Seen"));
  }

  @Test
  void webSocketRequestWithoutHandshakeIsAnsweredPlainly(TestClient client) {
    assertEquals(426, client.get("/echo").send().status());
  }

  @Test
  void exceptionOfTheApplicationReachesTheTest(TestClient client) {
    assertSame(BOOM, assertThrows(IllegalStateException.class, () -> client.get("/boom").send()));
  }

  @Test
  void unknownModeNeverHappens(HostMode mode) {
    assertTrue(mode == HostMode.IN_MEMORY || mode == HostMode.UNDERTOW);
  }
}
