package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static io.owin4j.undertow.Servers.features;
import static io.owin4j.undertow.Servers.responseHeaders;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.ext.WebSocketReceiveAsync;
import io.owin4j.api.ext.WebSocketReceiveResult;
import io.owin4j.api.features.ResponseBodyFeature;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.features.CancellationTokenSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the host does around the WebSocket echo: the handshake, the options, the endings. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestCertificates.Made.class)
class WebSocketHostTest {
  /** RFC 6455 section 1.3's example key and its answer. */
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  private static String handshake(String... extraHeaders) {
    StringBuilder request =
        new StringBuilder(
            "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade"
                + "\r\nSec-WebSocket-Key: "
                + KEY
                + "\r\nSec-WebSocket-Version: 13\r\n");
    for (String header : extraHeaders) {
      request.append(header).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  /** A typed application: accepts with {@code context}, then runs {@code session}. */
  private static AppFunc typed(
      WebSocketAcceptContext context, Function<WebSocket, CompletionStage<Void>> session) {
    return env ->
        features(env).require(WebSocketFeature.class).accept(context).thenCompose(session);
  }


  @Test
  void answersTheHandshakeWithTheAcceptKeyAndTheHeadersSetBeforeAccepting() throws Exception {
    AppFunc app =
        env -> {
          responseHeaders(env).put("X-Before", new String[] {"yes"});
          ((WebSocketAccept) env.get(WebSocketKeys.ACCEPT)).accept(null, socket -> done());
          return done();
        };
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      assertEquals(
          "101 websocket Upgrade " + ACCEPT + " yes",
          raw.status()
              + " "
              + raw.header("Upgrade")
              + " "
              + raw.header("Connection")
              + " "
              + raw.header("Sec-WebSocket-Accept")
              + " "
              + raw.header("X-Before"));
    }
  }

  @Test
  void upgradingDoesNotCancelTheRequestsCallCancelled() throws Exception {
    CompletableFuture<CancellationToken> token = new CompletableFuture<>();
    AppFunc app =
        env -> {
          token.complete((CancellationToken) env.get(OwinKeys.CALL_CANCELLED));
          return EchoMiddleware.TYPED.app(EchoMiddleware.sessions()).invoke(env);
        };
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      raw.sendText("still here");

      assertEquals("still here", new String(raw.readMessage(), UTF_8));
      assertFalse(token.get(10, TimeUnit.SECONDS).isCancellationRequested());
    }
  }

  @Test
  void echoesOverTls() throws Exception {
    TestCertificates certificates = TestCertificates.get();
    AppFunc echo = EchoMiddleware.TYPED.app(EchoMiddleware.sessions());
    try (OwinServer server =
        Servers.start(echo, builder -> builder.tls(certificates.serverContext))) {
      HttpClient client =
          HttpClient.newBuilder().sslContext(certificates.clientWithoutCertificate).build();
      JdkWebSocketClient socket =
          JdkWebSocketClient.connect(client, URI.create("wss://127.0.0.1:" + server.port() + "/"));

      socket.socket.sendText("x".repeat(100_000), true).join();

      assertEquals("x".repeat(100_000), socket.next());
    }
  }

  @Test
  void refusesASubProtocolTheClientDidNotOfferBeforeSendingAnything() throws Exception {
    CompletableFuture<String> refusal = new CompletableFuture<>();
    AppFunc app =
        env -> {
          try {
            features(env).require(WebSocketFeature.class).accept(WebSocketAcceptContext.of("chat"));
          } catch (IllegalArgumentException e) {
            refusal.complete(e.getMessage());
            env.put(OwinKeys.RESPONSE_STATUS_CODE, 400);
          }
          return done();
        };
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw =
            RawWebSocket.open(server.port(), handshake("Sec-WebSocket-Protocol: echo, json"))) {
      assertEquals(400, raw.status());
      assertEquals(
          "the subprotocol must be one the client offered [echo, json], got \"chat\"",
          refusal.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void sendsTheChosenSubProtocol() throws Exception {
    AppFunc app = typed(WebSocketAcceptContext.of("json"), socket -> new CompletableFuture<>());
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw =
            RawWebSocket.open(server.port(), handshake("Sec-WebSocket-Protocol: echo, json"))) {
      assertEquals("json", raw.header("Sec-WebSocket-Protocol"));
    }
  }

  @Test
  void acceptFailsAfterTheResponseStarted() throws Exception {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    AppFunc app =
        env -> {
          try {
            features(env).require(ResponseBodyFeature.class).start();
            features(env).require(WebSocketFeature.class).accept(null);
          } catch (IllegalStateException | IOException e) {
            failure.complete(e);
          }
          return done();
        };
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      assertEquals(200, raw.status());
      assertTrue(failure.get(10, TimeUnit.SECONDS) instanceof IllegalStateException);
    }
  }

  @Test
  void acceptFailsWhenCalledTwice() throws Exception {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    AppFunc app =
        env -> {
          WebSocketFeature webSockets = features(env).require(WebSocketFeature.class);
          CompletionStage<WebSocket> first = webSockets.accept(null);
          failure.complete(
              assertThrows(IllegalStateException.class, () -> webSockets.accept(null)));
          return first.thenCompose(socket -> new CompletableFuture<>());
        };
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      assertEquals(101, raw.status());
      assertEquals(
          "WebSocketFeature.accept must be called at most once",
          failure.get(10, TimeUnit.SECONDS).getMessage());
    }
  }

  static Stream<String> requestsThatAreNoHandshake() {
    return Stream.of(
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        handshake().replace("Version: 13", "Version: 8"),
        handshake().replace("GET /chat", "POST /chat"),
        handshake().replace(KEY, "c2hvcnQ="),
        handshake().replace("HTTP/1.1", "HTTP/1.0"),
        handshake().replace("Connection: keep-alive, Upgrade", "Connection: keep-alive"));
  }

  @ParameterizedTest
  @MethodSource("requestsThatAreNoHandshake")
  void offersNoWebSocketOnRequestsThatAreNoValidHandshake(String request) throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    AppFunc app =
        env -> {
          seen.complete(
              env.containsKey(WebSocketKeys.ACCEPT)
                  + " "
                  + (features(env).get(WebSocketFeature.class) != null));
          return done();
        };
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      client.send(request).read();

      assertEquals("false false", seen.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void negotiatesPermessageDeflateAndCompresses() throws Exception {
    AppFunc echo = EchoMiddleware.TYPED.app(EchoMiddleware.sessions());
    String text = "compress me, compress me, compress me, compress me";
    WebSocketCompression everything = WebSocketCompression.builder().threshold(0).build();
    try (OwinServer server =
            Servers.start(echo, builder -> builder.webSocketCompression(everything));
        RawWebSocket raw =
            RawWebSocket.open(
                server.port(),
                handshake(
                    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"))) {
      raw.sendFrame(0x80 | 0x40, RawWebSocket.TEXT, deflate(text.getBytes(UTF_8)), true);
      RawWebSocket.Frame echoed = raw.read();

      assertEquals(
          "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
          raw.header("Sec-WebSocket-Extensions"));
      assertEquals(4, echoed.rsv(), "the echo is compressed (RSV1)");
      assertEquals(text, new String(inflate(echoed.payload()), UTF_8));
    }
  }

  @Test
  void declinesPermessageDeflateWhenCompressionIsOff() throws Exception {
    AppFunc app = Servers.onWebSocket(socket -> new CompletableFuture<>());
    try (OwinServer server =
            Servers.start(app, builder -> builder.webSocketCompression(false));
        RawWebSocket raw =
            RawWebSocket.open(
                server.port(), handshake("Sec-WebSocket-Extensions: permessage-deflate"))) {
      assertEquals(101, raw.status());
      assertNull(raw.header("Sec-WebSocket-Extensions"));
    }
  }

  @Test
  void declinesADeflateOfferThatAsksForASmallerServerWindow() throws Exception {
    AppFunc app = Servers.onWebSocket(socket -> new CompletableFuture<>());
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw =
            RawWebSocket.open(
                server.port(),
                handshake(
                    "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10"))) {
      assertEquals(101, raw.status());
      assertNull(raw.header("Sec-WebSocket-Extensions"));
    }
  }

  @Test
  void sendingWithoutEndOfMessageSendsFragmentsOnTheWire() throws Exception {
    AppFunc app =
        Servers.onWebSocket(
            socket ->
                socket
                    .send(bytes("ab"), WebSocketMessageTypes.TEXT, false, CancellationToken.NONE)
                    .thenCompose(
                        sent ->
                            socket.send(
                                bytes("cd"),
                                WebSocketMessageTypes.TEXT,
                                true,
                                CancellationToken.NONE))
                    .thenCompose(sent -> socket.close(1000, "", CancellationToken.NONE)));
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      RawWebSocket.Frame first = raw.read();
      RawWebSocket.Frame second = raw.read();

      assertEquals(
          "1 false ab / 0 true cd",
          first.opcode() + " " + first.fin() + " " + first.text() + " / "
              + second.opcode() + " " + second.fin() + " " + second.text());
      assertEquals(RawWebSocket.CLOSE, raw.read().opcode());
    }
  }

  @Test
  void sendingTheCloseTypeSendsAClose() throws Exception {
    ByteBuffer payload = ByteBuffer.allocate(6).putShort((short) 4002).put(bytes("over")).flip();
    AppFunc app =
        Servers.onWebSocket(
            socket ->
                socket.send(payload, WebSocketMessageTypes.CLOSE, true, CancellationToken.NONE));
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      RawWebSocket.Frame close = raw.read();

      assertEquals("4002 over", close.closeStatus() + " " + close.closeReason());
    }
  }

  @Test
  void aCloseSentWhileAMessageIsOpenEndsTheMessageFirst() throws Exception {
    AppFunc app =
        Servers.onWebSocket(
            socket ->
                socket
                    .send(
                        bytes("part"), WebSocketMessageTypes.BINARY, false, CancellationToken.NONE)
                    .thenCompose(sent -> socket.close(1001, "going", CancellationToken.NONE)));
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      assertEquals("part", new String(raw.readMessage(), UTF_8));
      assertEquals(1001, raw.read().closeStatus());
    }
  }

  @Test
  void aMessageLargerThanTheBufferArrivesInPartsTheLastOneEndingIt() throws Exception {
    CompletableFuture<List<String>> results = new CompletableFuture<>();
    AppFunc app = Servers.onWebSocket(socket -> receiveMessage(socket, 10, new ArrayList<>(), results));
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      raw.sendText("0123456789abcdefghijABCDE");

      assertEquals(
          List.of("10 false", "10 false", "5 true"), results.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aMessageThatFillsTheBufferExactlyEndsWithItsLastBytes() throws Exception {
    CompletableFuture<List<String>> results = new CompletableFuture<>();
    AppFunc app = Servers.onWebSocket(socket -> receiveMessage(socket, 10, new ArrayList<>(), results));
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      raw.sendText("0123456789abcdefghij");

      assertEquals(List.of("10 false", "10 true"), results.get(10, TimeUnit.SECONDS));
    }
  }

  /** Receives one message with a buffer of {@code size}, recording "count endOfMessage" each. */
  private static CompletionStage<Void> receiveMessage(
      WebSocket socket, int size, List<String> seen, CompletableFuture<List<String>> results) {
    return socket
        .receive(ByteBuffer.allocate(size), CancellationToken.NONE)
        .thenCompose(
            result -> {
              seen.add(result.count() + " " + result.endOfMessage());
              if (result.endOfMessage()) {
                results.complete(seen);
                return new CompletableFuture<>();
              }
              return receiveMessage(socket, size, seen, results);
            });
  }

  @Test
  void reportsTheClientsCloseStatusAndDescription() throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    AppFunc app =
        Servers.onWebSocket(
            socket ->
                socket
                    .receive(ByteBuffer.allocate(16), CancellationToken.NONE)
                    .thenCompose(
                        result -> {
                          seen.complete(
                              result.isClose()
                                  + " "
                                  + socket.closeStatus()
                                  + " "
                                  + socket.closeDescription()
                                  + " "
                                  + socket.state());
                          return socket.close(1000, "", CancellationToken.NONE);
                        }));
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      raw.sendClose(4321, "the reason");

      assertEquals("true 4321 the reason CLOSE_RECEIVED", seen.get(10, TimeUnit.SECONDS));
      assertEquals(1000, raw.read().closeStatus());
    }
  }

  @Test
  void dataSentAfterThePeersCloseFailsAndTheCloseIsStillAnswered() throws Exception {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    AppFunc app =
        Servers.onWebSocket(
            socket ->
                socket
                    .receive(ByteBuffer.allocate(16), CancellationToken.NONE)
                    .thenCompose(
                        close ->
                            socket.send(
                                bytes("late"),
                                WebSocketMessageTypes.TEXT,
                                true,
                                CancellationToken.NONE))
                    .handle(
                        (ignored, failed) -> {
                          failure.complete(failed);
                          return null;
                        }));
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      raw.sendClose(1001, "leaving");

      assertTrue(failure.get(10, TimeUnit.SECONDS).getCause() instanceof IOException);
      RawWebSocket.Frame answer = raw.read();
      assertEquals("1001 leaving", answer.closeStatus() + " " + answer.closeReason());
    }
  }

  @Test
  void abortsASocketNeitherSideClosedWhenTheApplicationIsDone() throws Exception {
    AppFunc app = Servers.onWebSocket(socket -> done());
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      assertEquals(101, raw.status());
      assertThrows(IOException.class, raw::read, "the connection ends without a close frame");
    }
  }

  @Test
  void abortsTheSocketWhenTheApplicationFails() throws Exception {
    AppFunc app =
        Servers.onWebSocket(socket -> CompletableFuture.failedFuture(new IllegalStateException("broken")));
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      assertThrows(IOException.class, raw::read);
    }
  }

  @Test
  void closesTheConnectionOnceThePeerAnswersTheApplicationsClose() throws Exception {
    AppFunc app = Servers.onWebSocket(socket -> socket.close(1000, "server done", CancellationToken.NONE));
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      RawWebSocket.Frame close = raw.read();
      raw.sendClose(1000, "");

      assertEquals("1000 server done", close.closeStatus() + " " + close.closeReason());
      assertTrue(raw.closedByServer());
    }
  }

  @Test
  void failsAPendingReceiveAndReportsAbortedWhenTheClientDisappears() throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    CountDownLatch receiving = new CountDownLatch(1);
    AppFunc app =
        Servers.onWebSocket(
            socket -> {
              CompletionStage<WebSocketReceiveResult> receive =
                  socket.receive(ByteBuffer.allocate(16), CancellationToken.NONE);
              receiving.countDown();
              return receive.handle(
                  (result, failure) -> {
                    seen.complete(
                        (failure instanceof IOException) + " " + socket.state());
                    return null;
                  });
            });
    try (OwinServer server = Servers.start(app)) {
      RawWebSocket raw = RawWebSocket.open(server.port(), handshake());
      assertTrue(receiving.await(10, TimeUnit.SECONDS));

      raw.close();

      assertEquals("true ABORTED", seen.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void firesWebSocketCallCancelledWhenTheClientDisappears() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    CountDownLatch receiving = new CountDownLatch(1);
    AppFunc app =
        env -> {
          ((WebSocketAccept) env.get(WebSocketKeys.ACCEPT))
              .accept(
                  null,
                  socket -> {
                    ((CancellationToken) socket.get(WebSocketKeys.CALL_CANCELLED))
                        .register(cancelled::countDown);
                    CompletionStage<WebSocketReceiveResult> receive =
                        ((WebSocketReceiveAsync) socket.get(WebSocketKeys.RECEIVE_ASYNC))
                            .receiveAsync(ByteBuffer.allocate(16), CancellationToken.NONE);
                    receiving.countDown();
                    return receive.thenApply(result -> null);
                  });
          return done();
        };
    try (OwinServer server = Servers.start(app)) {
      RawWebSocket raw = RawWebSocket.open(server.port(), handshake());
      assertTrue(receiving.await(10, TimeUnit.SECONDS));

      raw.close();

      assertTrue(cancelled.await(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aCancelledReceiveAbortsTheConnection() throws Exception {
    CancellationTokenSource cancel = new CancellationTokenSource();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    AppFunc app =
        Servers.onWebSocket(
            socket ->
                socket
                    .receive(ByteBuffer.allocate(16), cancel.token())
                    .handle(
                        (result, failed) -> {
                          failure.complete(failed);
                          return null;
                        }));
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      cancel.cancel();

      assertTrue(failure.get(10, TimeUnit.SECONDS) instanceof CancellationException);
      assertThrows(IOException.class, raw::read);
    }
  }

  @Test
  void aSlowPeerHoldsTheSenderBack() throws Exception {
    assertSlowPeerHoldsTheSenderBack(64, 1024 * 1024);
  }

  @Test
  void aSlowPeerHoldsBackTheSenderOfSmallMessages() throws Exception {
    // Small messages wait for one flush per batch: the batches must not grow while nothing drains.
    assertSlowPeerHoldsTheSenderBack(64 * 1024, 1024);
  }

  private static void assertSlowPeerHoldsTheSenderBack(int messages, int messageSize)
      throws Exception {
    AtomicLong sentBytes = new AtomicLong();
    CompletableFuture<Void> allSent = new CompletableFuture<>();
    AppFunc app =
        Servers.onWebSocket(socket -> sendMany(socket, messages, messageSize, sentBytes, allSent));
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      long before;
      long after = sentBytes.get();
      do {
        before = after;
        Thread.sleep(300);
        after = sentBytes.get();
      } while (after != before);

      assertTrue(
          after < (long) messages * messageSize / 2,
          "sends completed for " + after + " bytes while the peer read nothing");
      for (int i = 0; i < messages; i++) {
        assertEquals(messageSize, raw.readMessage().length);
      }
      allSent.get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Sends {@code left} messages one after the other; loops rather than nesting stages, since a send
   * may complete at once (thousands of small ones in a row would overflow the stack). The stage
   * returned never completes: the socket stays open for the peer to read.
   */
  private static CompletionStage<Void> sendMany(
      WebSocket socket, int left, int size, AtomicLong sentBytes, CompletableFuture<Void> allSent) {
    for (int rest = left; rest > 0; rest--) {
      CompletableFuture<Void> sent =
          socket
              .send(
                  ByteBuffer.allocate(size),
                  WebSocketMessageTypes.BINARY,
                  true,
                  CancellationToken.NONE)
              .toCompletableFuture();
      if (!sent.isDone()) {
        int next = rest - 1;
        return sent.thenCompose(
            done -> {
              sentBytes.addAndGet(size);
              return sendMany(socket, next, size, sentBytes, allSent);
            });
      }
      sent.join();
      sentBytes.addAndGet(size);
    }
    allSent.complete(null);
    return new CompletableFuture<>();
  }

  @Test
  void refusesCloseStatusesRfc6455ReservesAndLongReasons() throws Exception {
    CompletableFuture<String> messages = new CompletableFuture<>();
    AppFunc app =
        Servers.onWebSocket(
            socket -> {
              String reserved =
                  assertThrows(
                          IllegalArgumentException.class,
                          () -> socket.close(1006, "", CancellationToken.NONE))
                      .getMessage();
              String tooLong =
                  assertThrows(
                          IllegalArgumentException.class,
                          () -> socket.close(1000, "x".repeat(124), CancellationToken.NONE))
                      .getMessage();
              messages.complete(reserved + " | " + tooLong);
              return socket.close(1000, "", CancellationToken.NONE);
            });
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      assertEquals(
          "close status must be 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 section 7.4), or 1005"
              + " for none, got 1006 | close description must be at most 123 bytes of UTF-8, got"
              + " 124 bytes",
          messages.get(10, TimeUnit.SECONDS));
      assertEquals(1000, raw.read().closeStatus());
    }
  }

  @Test
  void nothingMayBeSentAfterTheClose() throws Exception {
    CompletableFuture<String> message = new CompletableFuture<>();
    AppFunc app =
        Servers.onWebSocket(
            socket -> {
              CompletionStage<Void> closing = socket.close(1000, "", CancellationToken.NONE);
              message.complete(
                  assertThrows(
                          IllegalStateException.class,
                          () ->
                              socket.send(
                                  bytes("late"),
                                  WebSocketMessageTypes.TEXT,
                                  true,
                                  CancellationToken.NONE))
                      .getMessage()
                      + " / "
                      + socket.state());
              return closing;
            });
    try (OwinServer server = Servers.start(app);
        RawWebSocket raw = RawWebSocket.open(server.port(), handshake())) {
      assertEquals(
          "nothing may be sent on this WebSocket: its close was sent already / CLOSE_SENT",
          message.get(10, TimeUnit.SECONDS));
      assertEquals(RawWebSocket.CLOSE, raw.read().opcode());
    }
  }

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(UTF_8));
  }

  /** permessage-deflate (RFC 7692 section 7.2.1): deflate, sync-flush, drop the empty tail. */
  static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(data);
    byte[] out = new byte[data.length + 64];
    int length = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    deflater.end();
    return Arrays.copyOf(out, length - 4);
  }

  /** The reverse of {@link #deflate}: append the empty tail, inflate. */
  static byte[] inflate(byte[] data) throws DataFormatException {
    Inflater inflater = new Inflater(true);
    byte[] input = Arrays.copyOf(data, data.length + 4);
    input[data.length + 2] = (byte) 0xFF;
    input[data.length + 3] = (byte) 0xFF;
    inflater.setInput(input);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[1024];
    int n;
    while ((n = inflater.inflate(chunk)) > 0) {
      out.write(chunk, 0, n);
    }
    inflater.end();
    return out.toByteArray();
  }
}
