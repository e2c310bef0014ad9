package io.owin4j.undertow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.base.Throwables;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The WebSocket contract on real sockets, run against the same echo middleware written with the
 * delegates and with the typed feature, on worker threads and on the IO thread.
 */
@ParameterizedClass(name = "{0} on {1}")
@MethodSource("modes")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketEchoTest {
  @Parameter(0)
  EchoMiddleware middleware;

  @Parameter(1)
  Dispatch dispatch;

  private final BlockingQueue<Optional<Throwable>> sessions = EchoMiddleware.sessions();
  private OwinServer server;

  static Stream<Arguments> modes() {
    return Stream.of(EchoMiddleware.values())
        .flatMap(m -> Stream.of(Dispatch.values()).map(d -> Arguments.of(m, d)));
  }

  private OwinServer start(Consumer<OwinServer.Builder> settings) {
    OwinServer.Builder builder =
        OwinServer.builder().app(middleware.app(sessions)).dispatch(dispatch);
    settings.accept(builder);
    server = builder.build().start();
    return server;
  }

  private OwinServer start() {
    return start(builder -> {});
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ZERO);
    }
  }

  /** How the last session ended: empty when well. */
  private Optional<Throwable> sessionEnd() throws InterruptedException {
    Optional<Throwable> end = sessions.poll(10, TimeUnit.SECONDS);
    if (end == null) {
      throw new AssertionError("the WebSocket session did not end within 10 seconds");
    }
    return end;
  }

  @Test
  void echoesText() throws Exception {
    JdkWebSocketClient client = JdkWebSocketClient.connect(start(), "/");

    client.socket.sendText("hello, world", true).join();

    assertEquals("hello, world", client.next());
  }

  @Test
  void echoesBinary() throws Exception {
    JdkWebSocketClient client = JdkWebSocketClient.connect(start(), "/");

    client.socket.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xFF}), true).join();

    assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xFF}, (byte[]) client.next());
  }

  @Test
  void echoesMessageMuchLargerThanTheReceiveBuffer() throws Exception {
    byte[] large = new byte[1024 * 1024];
    new Random(7).nextBytes(large);
    JdkWebSocketClient client = JdkWebSocketClient.connect(start(), "/");

    client.socket.sendBinary(ByteBuffer.wrap(large), true).join();

    assertArrayEquals(large, (byte[]) client.next());
  }

  @Test
  void echoesMessagesInOrder() throws Exception {
    JdkWebSocketClient client = JdkWebSocketClient.connect(start(), "/");

    for (int i = 0; i < 200; i++) {
      client.socket.sendText("message " + i, true).join();
    }

    for (int i = 0; i < 200; i++) {
      assertEquals("message " + i, client.next());
    }
  }

  @Test
  void deliversFragmentsAsTheyArriveAndSendsThemAsFragments() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(start().port(), "/")) {
      raw.send(false, RawWebSocket.TEXT, "Hel".getBytes(UTF_8));
      RawWebSocket.Frame first = raw.read();
      raw.send(false, RawWebSocket.CONTINUATION, "lo, ".getBytes(UTF_8));
      RawWebSocket.Frame second = raw.read();
      raw.send(true, RawWebSocket.CONTINUATION, "world".getBytes(UTF_8));
      RawWebSocket.Frame last = raw.read();

      assertEquals(
          "TEXT Hel false, CONTINUATION lo,  false, CONTINUATION world true",
          describe(first) + ", " + describe(second) + ", " + describe(last));
    }
  }

  private static String describe(RawWebSocket.Frame frame) {
    String type =
        switch (frame.opcode()) {
          case RawWebSocket.TEXT -> "TEXT";
          case RawWebSocket.CONTINUATION -> "CONTINUATION";
          default -> "0x" + Integer.toHexString(frame.opcode());
        };
    return type + " " + frame.text() + " " + frame.fin();
  }

  @Test
  void acceptsTheOfferedSubProtocol() throws Exception {
    JdkWebSocketClient client = JdkWebSocketClient.connect(start(), "/", "chat", "echo");

    assertEquals("echo", client.socket.getSubprotocol());
  }

  @Test
  void acceptsWithoutSubProtocolWhenNoneFits() throws Exception {
    JdkWebSocketClient client = JdkWebSocketClient.connect(start(), "/", "chat");

    assertEquals("", client.socket.getSubprotocol());
  }

  @Test
  void echoesTheClientsCloseStatusAndReason() throws Exception {
    JdkWebSocketClient client = JdkWebSocketClient.connect(start(), "/");

    client.socket.sendClose(4000, "bye now").join();

    assertEquals(new JdkWebSocketClient.Closed(4000, "bye now"), client.closed());
    assertEquals(Optional.empty(), sessionEnd());
  }

  @Test
  void closesTheConnectionAfterTheCloseHandshake() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(start().port(), "/")) {
      raw.sendClose(1000, "done");

      RawWebSocket.Frame close = raw.read();

      assertEquals("1000 done", close.closeStatus() + " " + close.closeReason());
      assertTrue(raw.closedByServer());
    }
  }

  @Test
  void echoesACloseWithoutStatusAsOneWithoutStatus() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(start().port(), "/")) {
      raw.send(true, RawWebSocket.CLOSE, new byte[0]);

      RawWebSocket.Frame close = raw.read();

      assertEquals(RawWebSocket.CLOSE, close.opcode());
      assertEquals(0, close.payload().length);
    }
  }

  @Test
  void answersPingsAndNeverDeliversThem() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(start().port(), "/")) {
      raw.send(true, RawWebSocket.PING, "are you there".getBytes(UTF_8));
      RawWebSocket.Frame pong = raw.read();
      raw.sendText("after the ping");

      assertEquals("10 are you there", pong.opcode() + " " + pong.text());
      assertEquals("after the ping", new String(raw.readMessage(), UTF_8));
    }
  }

  @Test
  void answersPingsBetweenTheFragmentsOfAMessage() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(start().port(), "/")) {
      raw.send(false, RawWebSocket.BINARY, new byte[] {1});
      raw.send(true, RawWebSocket.PING, new byte[] {9});
      raw.send(true, RawWebSocket.CONTINUATION, new byte[] {2});

      assertArrayEquals(new byte[] {1, 2}, raw.readMessage());
    }
  }

  @Test
  void closesWith1007WhenTextIsNotUtf8() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(start().port(), "/")) {
      raw.send(true, RawWebSocket.TEXT, new byte[] {(byte) 0xC3, 0x28});

      assertEquals(1007, raw.readSkippingPongs().closeStatus());
      assertSessionFailedWithIoException();
    }
  }

  @Test
  void closesWith1002OnAnUnmaskedFrame() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(start().port(), "/")) {
      raw.sendFrame(0x80, RawWebSocket.TEXT, "plain".getBytes(UTF_8), false);

      assertEquals(1002, raw.read().closeStatus());
      assertSessionFailedWithIoException();
    }
  }

  @Test
  void closesWith1002OnAReservedOpcode() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(start().port(), "/")) {
      raw.send(true, 0x3, new byte[] {1, 2, 3});

      assertEquals(1002, raw.read().closeStatus());
      assertSessionFailedWithIoException();
    }
  }

  @Test
  void closesWith1002OnReservedBitsNoExtensionDefines() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(start().port(), "/")) {
      raw.sendFrame(0x80 | 0x40, RawWebSocket.TEXT, "x".getBytes(UTF_8), true);

      assertEquals(1002, raw.read().closeStatus());
    }
  }

  @Test
  void closesWith1002OnAContinuationOutsideAMessage() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(start().port(), "/")) {
      raw.send(true, RawWebSocket.CONTINUATION, new byte[] {1});

      assertEquals(1002, raw.read().closeStatus());
    }
  }

  @Test
  void closesWith1009WhenAMessageExceedsTheMaximum() throws Exception {
    start(builder -> builder.webSocketMaxMessageSize(16 * 1024));
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/")) {
      raw.send(true, RawWebSocket.BINARY, new byte[20 * 1024]);

      RawWebSocket.Frame frame;
      do {
        frame = raw.read();
      } while (frame.opcode() != RawWebSocket.CLOSE);

      assertEquals(1009, frame.closeStatus());
      assertSessionFailedWithIoException();
    }
  }

  @Test
  void failsTheSessionWhenTheClientDisappears() throws Exception {
    try (RawWebSocket raw = RawWebSocket.connect(start().port(), "/")) {
      raw.sendText("one");
      raw.readMessage();
    }

    assertSessionFailedWithIoException();
  }

  @Test
  void answersRequestsThatAreNoHandshakeWithTheMiddlewaresResponse() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + start().port() + "/"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertEquals(EchoMiddleware.UPGRADE_REQUIRED, response.statusCode());
  }

  private void assertSessionFailedWithIoException() throws InterruptedException {
    Optional<Throwable> end = sessionEnd();
    assertFalse(end.isEmpty(), "the session ended without failure");
    assertTrue(
        Throwables.getCausalChain(end.get()).stream().anyMatch(IOException.class::isInstance),
        () -> "the session failed with " + Throwables.getStackTraceAsString(end.get()));
  }
}
